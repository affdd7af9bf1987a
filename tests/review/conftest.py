"""Fixtures of the review tests only; the reviewers, the call administrator and `make_submitted` are shared
(tests/fixtures/review.py), the helpers that fire the real steps are in builders.py."""

import pytest

from shenbao.accounts.roles import Role
from shenbao.organisations.models import Organisation
from tests.factories import OrganisationFactory, PlatformFactory, UserFactory

from .builders import organisation, pass_first_review, staff


@pytest.fixture
def zezhou_reviewer(reference):
    return staff("泽州县人力资源和社会保障局", Role.COUNTY_REVIEWER)


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
