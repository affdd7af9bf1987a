"""Fixtures of the acceptance tests.

`awarded` takes two workstation units through the real steps up to 授牌 (the shared `in_notice` of
tests/fixtures/awards.py: proposal, 征求意见, 公示 2022-12-12…16; award on 12-17), so the funding app opens their
records exactly as in production.
`make_designated` is the shortcut of `builders.designate` for list and permission pages (many rows cheaply).
"""

import datetime

import pytest

from shenbao.accounts.roles import Role
from shenbao.awards.services import award_applications, save_designation
from shenbao.experts.services import create_expert
from shenbao.organisations.models import Organisation, Region
from tests.awards.builders import AFTER_NOTICE
from tests.factories import OrganisationFactory, UserFactory
from tests.opinions.builders import reload

from .builders import designate


@pytest.fixture
def awarded(in_notice, call_admin_user, call):
    """The two units of the awards tests, awarded through the real award step (plaques, funding records)."""
    designation = save_designation(
        call=call,
        actor=call_admin_user,
        document_number="晋市人社发〔2022〕88号",
        issued_on=datetime.date(2022, 12, 20),
    )
    outcome = award_applications(
        applications=in_notice, actor=call_admin_user, designation=designation, at=AFTER_NOTICE
    )
    assert not outcome.failed, [result.messages for result in outcome.failed]
    return [reload(application) for application in in_notice]


@pytest.fixture
def designated(awarded):
    """The 城区 unit's awarded workstation application."""
    return awarded[0]


@pytest.fixture
def unit_applicant(designated):
    return UserFactory(organisation=designated.unit, roles=[Role.APPLICANT])


@pytest.fixture
def make_designated(call, make_unit, make_applicant):
    """A designated application of a new unit (`builders.designate`); returns (application, its applicant)."""

    def make(project_type_code="workstation", name=None, region="140502"):
        unit_type = "enterprise" if project_type_code == "workstation" else "vocational_college"
        unit = make_unit(unit_type=unit_type, region=region, **({"name": name} if name else {}))
        user = make_applicant(unit)
        return designate(call=call, unit=unit, user=user, project_type_code=project_type_code), user

    return make


@pytest.fixture
def make_expert(reference, call_admin_user):
    """An expert (评审专家) of the city's pool: a user of a 城区 organisation holding the expert role, entered in
    the expert pool by the call administrator (`admin`: another city's; `in_pool=False`: the role only)."""

    def make(organisation=None, in_pool=True, admin=None, **fields):
        organisation = organisation or OrganisationFactory(
            kind=Organisation.Kind.OTHER, unit_type=None, credit_code=None, region=Region.objects.get(key="140502")
        )
        user = UserFactory(organisation=organisation, roles=[Role.EXPERT], **fields)
        if in_pool:
            create_expert(
                actor=admin or call_admin_user,
                user=user,
                full_name=user.full_name or user.username,
                work_unit_name="",
                region=organisation.region,
            )
        return user

    return make


@pytest.fixture
def experts(make_expert, call):
    return [make_expert() for _ in range(call.acceptance_experts_per_application)]
