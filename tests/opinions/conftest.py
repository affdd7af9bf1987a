"""Fixtures of the opinion tests only; the applications in 专家评审 and 征求意见 and the consulted bodies' users are
shared (tests/fixtures/opinions.py), the helpers are in builders.py."""

import pytest

from shenbao.accounts.roles import Role

from .builders import SASAC, user_of


@pytest.fixture
def sasac_user(reference):
    return user_of(SASAC, Role.CONSULTED_DEPARTMENT)
