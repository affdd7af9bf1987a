"""Fixtures for notification tests: the application fixtures (real 2022 call and reference data) plus staff."""

import datetime

import pytest

from shenbao.accounts.roles import Role
from shenbao.applications.services import fire_transition
from tests.applications.builders import IN_TIME
from tests.factories import UserFactory

from .builders import REASON


@pytest.fixture
def colleague(unit):
    """A second applicant of the same unit (told about what their colleague did)."""
    return UserFactory(organisation=unit, roles=[Role.APPLICANT], email="colleague@example.com")


@pytest.fixture
def make_returned(county_reviewer):
    """Return `application` for revision with the given due date, as the 城区 county reviewer."""

    def make(application, due=datetime.date(2022, 12, 20), comment=REASON):
        return fire_transition(
            application=application,
            name="return_for_revision",
            actor=county_reviewer,
            comment=comment,
            payload={"resubmission_due": due.isoformat()},
            at=IN_TIME,
        )

    return make
