"""Fixtures of the expert tests only (the call administrator, an expert factory); the helpers are in builders.py."""

import pytest

from shenbao.accounts.roles import Role
from shenbao.organisations.models import Organisation
from tests.factories import UserFactory

from .builders import SKILLS_OFFICE, make_expert


@pytest.fixture
def admin(reference):
    return UserFactory(organisation=Organisation.objects.get(name=SKILLS_OFFICE), roles=[Role.CALL_ADMIN])


@pytest.fixture
def expert_factory(admin):
    def make(**kwargs):
        return make_expert(admin, **kwargs)

    return make
