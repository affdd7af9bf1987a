import pytest

from shenbao.accounts.roles import Role
from shenbao.organisations.models import Organisation
from tests.factories import GovernmentBodyFactory, OrganisationFactory, PlatformFactory, UserFactory


@pytest.fixture
def platform(db):
    return PlatformFactory(name="申报评审平台运维中心")


@pytest.fixture
def security_admin(platform):
    return UserFactory(username="secadmin", full_name="孙安全", organisation=platform, roles=[Role.SECURITY_ADMIN])


@pytest.fixture
def system_admin(platform):
    return UserFactory(username="sysadmin", full_name="周系统", organisation=platform, roles=[Role.SYSTEM_ADMIN])


@pytest.fixture
def audit_admin(platform):
    return UserFactory(username="auditadmin", full_name="钱审计", organisation=platform, roles=[Role.AUDIT_ADMIN])


@pytest.fixture
def reviewer(db):
    bureau = GovernmentBodyFactory(name="城区人社局", function=Organisation.Function.COUNTY_HR_BUREAU)
    return UserFactory(username="county_li", full_name="李初审", organisation=bureau, roles=[Role.COUNTY_REVIEWER])


@pytest.fixture
def applicant(db):
    return UserFactory(
        username="unit_wang", full_name="王经办", organisation=OrganisationFactory(), roles=[Role.APPLICANT]
    )


@pytest.fixture
def expert(db):
    return UserFactory(
        username="expert_zhao", full_name="赵专家", organisation=OrganisationFactory(), roles=[Role.EXPERT]
    )


@pytest.fixture
def second_factor_on(settings):
    settings.SHENBAO_REQUIRE_SECOND_FACTOR = True
    return settings
