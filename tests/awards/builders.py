"""Helpers of the award tests: the 公示 dates (2022-12-12 to 12-16), answering every opinion request, objecting."""

import datetime

from shenbao.accounts.roles import Role
from shenbao.notices.objections import file_objection
from shenbao.opinions.models import OpinionRequest
from shenbao.opinions.services import record_opinion
from shenbao.organisations.models import Organisation
from tests.factories import UserFactory
from tests.opinions.builders import ANSWER_AT

BEIJING = datetime.timezone(datetime.timedelta(hours=8))
NOTICE_START = datetime.date(2022, 12, 12)
LAST_NOTICE_DAY = datetime.datetime(2022, 12, 16, 23, 59, tzinfo=BEIJING)
AFTER_NOTICE = datetime.datetime(2022, 12, 17, 9, 0, tzinfo=BEIJING)


def answer_everything(application):
    for request in OpinionRequest.objects.filter(application=application).select_related("department"):
        user = UserFactory(organisation=request.department, roles=[_answering_role(request)])
        record_opinion(opinion_request=request, user=user, response="no_objection", at=ANSWER_AT)


def _answering_role(request):
    if request.department.function == Organisation.Function.COUNTY_HR_BUREAU:
        return Role.COUNTY_REVIEWER
    return Role.CONSULTED_DEPARTMENT


def object_to(notice, application, at=LAST_NOTICE_DAY):
    return file_objection(
        notice=notice,
        entry_public_id=application.notice_entry.public_id,
        filer_kind="unit",
        filer_name="张明",
        unit_name="晋城市某某协会",
        seal_confirmed=True,
        contact_phone="13900000000",
        content="该单位申报的工作站成员中有两人并非本单位在职职工，申报材料与事实不符，请予核查。",
        at=at,
    )
