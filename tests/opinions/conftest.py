# ruff: noqa: F811 (pytest fixtures imported from other conftest modules are parameters here)
"""Fixtures of the opinion tests: the real 2022 call and reference data, and helpers that bring applications to
专家评审 and onto the proposed list by firing the real steps in order (review services, then ours)."""

import datetime

import pytest

from shenbao.accounts.roles import Role
from shenbao.applications.models import Application
from shenbao.opinions.services import propose_applications
from shenbao.organisations.models import Organisation
from tests.applications.conftest import (  # noqa: F401 (fixtures)
    call,
    make_applicant,
    make_unit,
    reference,
    workstation_type,
)
from tests.factories import UserFactory
from tests.review.conftest import (  # noqa: F401 (fixtures)
    AFTER,
    call_admin_user,
    hr_reviewer,
    make_submitted,
    org_reviewer,
    pass_first_review,
    pass_recheck,
)

PROPOSE_AT = AFTER + datetime.timedelta(days=1)
OPINION_DUE = "2022-12-30"
ANSWER_AT = PROPOSE_AT + datetime.timedelta(days=1)
TAX_BUREAU = "国家税务总局晋城市税务局"
MARKET_BUREAU = "晋城市市场监督管理局"
SASAC = "晋城市人民政府国有资产监督管理委员会"


def reload(application):
    """A fresh copy (the protected FSM field cannot be refreshed in place)."""
    return Application.objects.get(pk=application.pk)


def organisation(name):
    return Organisation.objects.get(name=name)


def user_of(name, *roles):
    return UserFactory(organisation=organisation(name), roles=list(roles))


def first_reviewer_of(application):
    body = application.first_review_body
    role = Role.COUNTY_REVIEWER if body.function == Organisation.Function.COUNTY_HR_BUREAU else Role.DEPARTMENT_REVIEWER
    return UserFactory(organisation=body, roles=[role])


@pytest.fixture
def make_expert_review(make_submitted, org_reviewer, hr_reviewer):
    """A workstation application of a new unit that passed 资格初审 and 资格复核 (now in 专家评审)."""

    def make(region="140502", name=None, competent_department=None):
        extra = {"competent_department": organisation(competent_department)} if competent_department else {}
        application = make_submitted(region=region, name=name, **extra)
        application = pass_first_review(application, first_reviewer_of(application))
        return pass_recheck(application, org_reviewer, hr_reviewer)

    return make


def propose(applications, admin, *, at=PROPOSE_AT, due=OPINION_DUE, reason="综合得分排名未进入名额。"):
    application = applications[0]
    return propose_applications(
        call=application.call,
        project_type=application.project_type,
        selected=applications,
        opinion_due=due,
        not_selected_reason=reason,
        actor=admin,
        at=at,
    )


@pytest.fixture
def small_quota(workstation_type):
    """The workstation quota narrowed to exactly 2, so the boundaries need few applications."""
    workstation_type.quota_min = 2
    workstation_type.quota_max = 2
    workstation_type.save(update_fields=["quota_min", "quota_max"])
    return workstation_type


@pytest.fixture
def soliciting(make_expert_review, call_admin_user, small_quota):
    """Two proposed units: a 城区 county unit and a city-direct unit of the 国资委, both now in 征求意见."""
    county_unit = make_expert_review(name="晋城市城区精工机械有限公司")
    city_direct = make_expert_review(region="140500", name="晋城市兰花示范机械有限公司", competent_department=SASAC)
    outcome = propose([county_unit, city_direct], call_admin_user)
    assert not outcome.failed, [result.messages for result in outcome.failed]
    return reload(county_unit), reload(city_direct)


@pytest.fixture
def tax_user(reference):
    return user_of(TAX_BUREAU, Role.CONSULTED_DEPARTMENT)


@pytest.fixture
def sasac_user(reference):
    return user_of(SASAC, Role.CONSULTED_DEPARTMENT)


@pytest.fixture
def chengqu_reviewer(reference):
    return user_of("晋城市城区人力资源和社会保障局", Role.COUNTY_REVIEWER)
