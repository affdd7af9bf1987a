"""apiaccess: the system administrator's service-account pages (everyone else: 404, like user administration),
the API documentation page (staff; applicants 404), and /api/v1/ with the session (its key authentication has
its own tests in tests/apiaccess): the schema like /api/'s, the read operations scoped like the pages, the scoring
operations like /api/scoring/."""

import datetime

from django.utils import timezone

from shenbao.accounts.roles import Role
from shenbao.apiaccess.models import ServiceAccount
from shenbao.apiaccess.services import create_service_account
from shenbao.organisations.models import Organisation
from tests.permissions.common import sees
from tests.permissions.dsl import APPLICANT, EXPERT, LOGGED_IN, OWN, PROVINCE, SYSADMIN, allow, check, expect, get, post

STAFF_AND_CLIENTS = tuple(role for role in LOGGED_IN if role != APPLICANT)


def _status(account):
    return ServiceAccount.objects.get(pk=account.pk).status


def _slug(call):
    return {"slug": call.slug}


ENTRIES = [
    get("apiaccess:list", allow(SYSADMIN), denied=404),
    get("apiaccess:create", allow(SYSADMIN), denied=404),
    post(
        "apiaccess:create",
        allow(SYSADMIN, status=200),
        denied=404,
        note="allowed: the form again with its errors (nothing posted)",
        watch=lambda _obj: ServiceAccount.objects.count(),
    ),
    get("apiaccess:revoke", allow(SYSADMIN), denied=404, obj="apiaccess.service_account"),
    post(
        "apiaccess:revoke",
        allow(SYSADMIN, status=200),
        denied=404,
        obj="apiaccess.service_account",
        note="allowed: the form again (a revocation needs its reason)",
        watch=_status,
    ),
    get("api_docs", allow(*STAFF_AND_CLIENTS), denied=404),
    get("api-v1:openapi-json", allow(*STAFF_AND_CLIENTS), denied=404, anonymous=401),
    get("api-v1:api-root", expect(404, *LOGGED_IN), anonymous=404, note="django-ninja's root view raises Http404"),
    # Read operations: every signed-in caller gets its own city's calls and the applications it may see; the
    # province observer acts for no city (its body sits in the province), so a city's call is not found for it.
    check("GET", "api-v1:v1_calls", allow(LOGGED_IN), anonymous=401),
    check("GET", "api-v1:v1_call", allow(LOGGED_IN), expect(404, PROVINCE), obj="call", kwargs=_slug, anonymous=401),
    check(
        "GET",
        "api-v1:v1_call_results",
        allow(LOGGED_IN),
        expect(404, PROVINCE),
        obj="call",
        kwargs=_slug,
        anonymous=401,
    ),
    check(
        "GET",
        "api-v1:v1_designated_units",
        allow(LOGGED_IN),
        expect(404, PROVINCE),
        obj="call",
        kwargs=_slug,
        anonymous=401,
    ),
    check("GET", "api-v1:v1_applications", allow(LOGGED_IN), anonymous=401),
    *[
        check("GET", "api-v1:v1_application", *sees(kind), obj=kind, anonymous=401)
        for kind in ("application.draft", "application.submitted")
    ],
    check("GET", "api-v1:scoring_assignments", allow(EXPERT), anonymous=401),
    check("GET", "api-v1:scoring_sheet", allow(EXPERT, on=OWN), obj="assignment", anonymous=401),
    check(
        "PUT",
        "api-v1:scoring_sheet_save",
        expect(409, EXPERT, on=OWN),
        obj="assignment",
        anonymous=401,
        json=True,
        data={"revision": 0, "entries": {}},
        note="the scenario's own sheet is submitted: locked (409), as on /api/scoring/",
    ),
    check(
        "POST",
        "api-v1:scoring_sheet_submit",
        expect(409, EXPERT, on=OWN),
        obj="assignment",
        anonymous=401,
        json=True,
        data={"revision": 0, "entries": {}},
        note="the scenario's own sheet is submitted: locked (409), as on /api/scoring/",
    ),
]


def build(scenario):
    account, _key = create_service_account(
        name="矩阵测试系统",
        organisation=Organisation.objects.get(name="晋城市人力资源和社会保障局"),
        role=Role.CITY_REVIEWER,
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
        actor=scenario.users[Role.SYSTEM_ADMIN],
    )
    scenario.add("apiaccess.service_account", account)
