"""Helpers of the opinion tests (and of the later stages' tests): dates, the consulted bodies, and the real
proposal step."""

import datetime

from shenbao.accounts.roles import Role
from shenbao.applications.models import Application
from shenbao.opinions.services import propose_applications
from shenbao.organisations.models import Organisation
from tests.factories import UserFactory
from tests.review.builders import AFTER

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
