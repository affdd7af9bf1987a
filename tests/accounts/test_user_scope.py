"""Which accounts a user may see: `accounts.selectors.visible_users_q`, the one rule behind the user list, the
role page and every other read of another person's account."""

import pytest

from shenbao.accounts import selectors
from shenbao.accounts.models import User
from shenbao.accounts.roles import Role
from tests.factories import OrganisationFactory, PlatformFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_units():
    own, other = OrganisationFactory(name="本单位"), OrganisationFactory(name="他单位")
    return (
        UserFactory(username="own1", organisation=own, roles=[Role.APPLICANT]),
        UserFactory(username="own2", organisation=own, roles=[Role.APPLICANT]),
        UserFactory(username="other", organisation=other, roles=[Role.APPLICANT]),
    )


def test_an_applicant_sees_the_accounts_of_its_own_unit_only(two_units):
    me, colleague, stranger = two_units
    visible = set(selectors.list_users(user=me).values_list("username", flat=True))
    assert visible == {"own1", "own2"}
    assert selectors.get_visible_user(user=me, public_id=colleague.public_id) == colleague
    with pytest.raises(User.DoesNotExist):
        selectors.get_visible_user(user=me, public_id=stranger.public_id)


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN])
def test_the_platform_administrators_see_every_account(two_units, role):
    admin = UserFactory(username="admin", organisation=PlatformFactory(), roles=[role])
    visible = set(selectors.list_users(user=admin).values_list("username", flat=True))
    assert visible == {"own1", "own2", "other", "admin"}


def test_an_inactive_account_sees_nobody(two_units):
    me = two_units[0]
    me.is_active = False
    assert not selectors.list_users(user=me).exists()
