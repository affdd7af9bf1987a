"""opinions: proposed list and progress (call administrator), the departments' inbox and answers, decisions on
objections, and the 审核意见表 PDF."""

from tests.permissions.common import COUNTY_SCOPE, visible_but
from tests.permissions.dsl import (
    ADMIN,
    APPLICANT,
    CITY_DIRECT,
    CONSULTED,
    COUNTY,
    DEPARTMENT,
    OWN,
    allow,
    get,
    post,
)

CALL = "call=jincheng-2022"
SOLICITING = "application.soliciting"


def _answered(opinion_request):
    return opinion_request.response


ENTRIES = [
    get("opinions:proposals", allow(ADMIN), query=CALL),
    post("opinions:proposals", allow(ADMIN), query=CALL, data={}),
    get("opinions:progress", allow(ADMIN), query=CALL),
    get("opinions:inbox", allow(CONSULTED, COUNTY, DEPARTMENT)),
    # A request is there only for the department it is addressed to (the unit's superior body here).
    get("opinions:answer", allow(COUNTY, on=OWN), allow(DEPARTMENT, on=CITY_DIRECT), obj="opinion_request"),
    post(
        "opinions:answer",
        allow(COUNTY, on=OWN),
        allow(DEPARTMENT, on=CITY_DIRECT),
        obj="opinion_request",
        data={"response": ""},
        watch=_answered,
    ),
    get("opinions:answer", allow(CONSULTED), obj="opinion_request.tax", denied=404),
    post(
        "opinions:answer",
        allow(CONSULTED),
        obj="opinion_request.tax",
        denied=404,
        data={"response": ""},
        watch=_answered,
    ),
    # The administrator's decision on a held unit: whoever else sees the application gets 403.
    post(
        "opinions:decide",
        *visible_but("application.opinion_hold", 403, allow(ADMIN, status=302)),
        obj="application.opinion_hold",
        data={},
        watch=lambda application: application.status,
    ),
    # 审核意见表: the administrator, the unit, and the departments asked (superior body, tax bureau).
    get(
        "opinions:form_pdf",
        *visible_but(SOLICITING, 403),
        allow(ADMIN, CONSULTED),
        allow(APPLICANT, on=OWN),
        allow(COUNTY, on=COUNTY_SCOPE),
        allow(DEPARTMENT, on=CITY_DIRECT),
        obj=SOLICITING,
        sample=2,
    ),
]
