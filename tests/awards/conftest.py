# ruff: noqa: F811 (pytest fixtures imported from other conftest modules are parameters here)
"""Fixtures of the award tests: two units taken through 征求意见 and a 公示 (2022-12-12 to 12-16) by the real steps."""

import datetime

import pytest

from shenbao.accounts.roles import Role
from shenbao.notices.objections import file_objection
from shenbao.notices.services import publish_notice
from shenbao.opinions.models import OpinionRequest
from shenbao.opinions.services import record_opinion
from shenbao.organisations.models import Organisation
from tests.applications.conftest import call, make_applicant, make_unit, reference, workstation_type  # noqa: F401
from tests.factories import UserFactory
from tests.opinions.conftest import (  # noqa: F401 (fixtures)
    ANSWER_AT,
    make_expert_review,
    reload,
    small_quota,
    soliciting,
)
from tests.review.conftest import call_admin_user, hr_reviewer, make_submitted, org_reviewer  # noqa: F401

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


@pytest.fixture
def notice(soliciting, call_admin_user):
    """Both proposed units answered 无异议 and published in a notice from 2022-12-12 (Monday) to 2022-12-16."""
    for application in soliciting:
        answer_everything(application)
    result = publish_notice(
        call=soliciting[0].call,
        title="2022年市级技师工作站拟授牌单位公示",
        body="现予公示。",
        start_date=NOTICE_START,
        contact_name="郭大勇",
        contact_phone="2199488",
        contact_address="市人社局201室",
        user=call_admin_user,
        at=ANSWER_AT,
    )
    assert not result.refused, result.refused
    return result.notice


@pytest.fixture
def in_notice(notice, soliciting):
    return [reload(application) for application in soliciting]


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
