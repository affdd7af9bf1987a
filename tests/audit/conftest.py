import pytest

from shenbao.accounts.roles import Role
from shenbao.organisations.models import Organisation
from tests.factories import OrganisationFactory, UserFactory


@pytest.fixture
def platform():
    return OrganisationFactory(name="平台运维单位", kind=Organisation.Kind.PLATFORM, unit_type=None, credit_code=None)


@pytest.fixture
def audit_admin(platform):
    return UserFactory(username="auditor", full_name="钱审计", organisation=platform, roles=[Role.AUDIT_ADMIN])


@pytest.fixture
def admin_client(client, audit_admin):
    client.force_login(audit_admin)
    return client
