# ruff: noqa: F811 (pytest fixtures imported from tests.applications.conftest are parameters here)
"""Fixtures of the review tests: the real 2022 call and reference data, users of every role, and helpers that move
an application along the workflow by firing the real steps in order."""

import datetime

import pytest

from shenbao.accounts.roles import Role
from shenbao.applications.services import fire_transition, start_application
from shenbao.organisations.models import Organisation
from shenbao.review.services import decide_first_review, record_recheck_decision
from tests.applications.builders import IN_TIME, attach_required_materials, fill_sections, workstation_sections
from tests.applications.conftest import (  # noqa: F401 (fixtures)
    applicant,
    call,
    county_bureau,
    county_reviewer,
    draft,
    make_applicant,
    make_unit,
    ready_draft,
    reference,
    submitted,
    unit,
    workstation_type,
)
from tests.factories import OrganisationFactory, PlatformFactory, UserFactory

AFTER = IN_TIME + datetime.timedelta(days=1)
DUE = "2022-12-20"
WORKSTATION_RULES = (
    "base-level",
    "qualified-members",
    "talent-systems",
    "cooperation",
    "operation-support",
    "advanced-facilities",
)


def all_met(application):
    """A complete checklist: every rule judged 符合."""
    return {result["code"]: {"judgement": "met", "note": ""} for result in application.eligibility}


def organisation(name):
    return Organisation.objects.get(name=name)


def staff(name, role):
    return UserFactory(organisation=organisation(name), roles=[role])


@pytest.fixture
def org_reviewer(reference):
    """市委组织部 re-check reviewer."""
    return staff("中共晋城市委组织部", Role.CITY_REVIEWER)


@pytest.fixture
def hr_reviewer(reference):
    """市人社局 re-check reviewer."""
    return staff("晋城市人力资源和社会保障局", Role.CITY_REVIEWER)


@pytest.fixture
def call_admin_user(reference):
    return staff("晋城市人力资源和社会保障局技能办", Role.CALL_ADMIN)


@pytest.fixture
def zezhou_reviewer(reference):
    return staff("泽州县人力资源和社会保障局", Role.COUNTY_REVIEWER)


@pytest.fixture
def make_submitted(call, workstation_type, make_unit, make_applicant):
    """A complete workstation application of a new unit in `region`, submitted in time."""

    def make(region="140502", name=None, **unit_fields):
        unit = make_unit(region=region, **({"name": name} if name else {}), **unit_fields)
        user = make_applicant(unit)
        application = start_application(call=call, project_type=workstation_type, unit=unit, user=user, at=IN_TIME)
        application = fill_sections(application=application, user=user, sections=workstation_sections())
        attach_required_materials(application=application, user=user)
        return fire_transition(application=application, name="submit", actor=user, at=IN_TIME)

    return make


def pass_first_review(application, reviewer, at=AFTER):
    return decide_first_review(
        application=application,
        user=reviewer,
        decision="pass",
        items=all_met(application),
        recommendation="同意推荐。",
        at=at,
    )


def pass_recheck(application, *reviewers, at=AFTER):
    for reviewer in reviewers:
        application = record_recheck_decision(
            application=application, user=reviewer, decision="pass", comment="同意。", at=at
        )
    return application


@pytest.fixture
def in_recheck(submitted, county_reviewer):
    return pass_first_review(submitted, county_reviewer)


@pytest.fixture
def roles(reference, unit, applicant, county_reviewer, zezhou_reviewer, hr_reviewer, call_admin_user, make_unit):
    """One user per role of the transition matrix."""
    other_unit = make_unit(name="晋城市另一家机械有限公司")
    tax = organisation("国家税务总局晋城市税务局")
    return {
        "applicant_of_unit": applicant,
        "other_applicant": UserFactory(organisation=other_unit, roles=[Role.APPLICANT]),
        "county_reviewer_of_unit": county_reviewer,
        "county_reviewer_elsewhere": zezhou_reviewer,
        "department_reviewer": staff("晋城市教育局", Role.DEPARTMENT_REVIEWER),
        "city_reviewer": hr_reviewer,
        "call_admin": call_admin_user,
        "consulted_department": UserFactory(organisation=tax, roles=[Role.CONSULTED_DEPARTMENT]),
        "expert": UserFactory(
            organisation=OrganisationFactory(kind=Organisation.Kind.OTHER, unit_type=None, credit_code=None),
            roles=[Role.EXPERT],
        ),
        "system_admin": UserFactory(organisation=PlatformFactory(), roles=[Role.SYSTEM_ADMIN]),
    }
