"""ROLE_RULES (the organisation must fit the role) and 三权分立 through the services."""

import pytest
from django.core.exceptions import ValidationError

from shenbao.accounts.models import RoleGrant
from shenbao.accounts.roles import EXCLUSIVE_ROLES, Role
from shenbao.accounts.rules import has_role, is_first_reviewer, is_system_admin
from shenbao.accounts.services import create_user, grant_role, revoke_role
from shenbao.organisations.models import Organisation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Strong#pass2022"


def org(name):
    return Organisation.objects.get(name=name)


@pytest.fixture
def platform(reference):
    return Organisation.objects.get(kind=Organisation.Kind.PLATFORM)


@pytest.fixture
def unit(reference):
    from tests.factories import OrganisationFactory

    return OrganisationFactory(name="城区申报单位", region=org("晋城市城区人力资源和社会保障局").region)


ALLOWED = [
    (Role.APPLICANT, "unit"),
    (Role.COUNTY_REVIEWER, "晋城经济技术开发区党群工作部（人社）"),
    (Role.DEPARTMENT_REVIEWER, "晋城市教育局"),
    (Role.CITY_REVIEWER, "中共晋城市委组织部"),
    (Role.CITY_REVIEWER, "晋城市人力资源和社会保障局"),
    (Role.CALL_ADMIN, "晋城市人力资源和社会保障局技能办"),
    (Role.EXPERT, "unit"),
    (Role.EXPERT, "晋城市工业和信息化局"),
    (Role.CONSULTED_DEPARTMENT, "国家税务总局晋城市税务局"),
    (Role.CONSULTED_DEPARTMENT, "晋城市市场监督管理局"),
    (Role.CONSULTED_DEPARTMENT, "晋城市人民政府国有资产监督管理委员会"),
    (Role.SYSTEM_ADMIN, "platform"),
    (Role.SECURITY_ADMIN, "platform"),
    (Role.AUDIT_ADMIN, "platform"),
]

REFUSED = [
    (Role.APPLICANT, "晋城市人力资源和社会保障局"),
    (Role.COUNTY_REVIEWER, "晋城市人力资源和社会保障局"),
    (Role.COUNTY_REVIEWER, "unit"),
    (Role.DEPARTMENT_REVIEWER, "国家税务总局晋城市税务局"),
    (Role.CITY_REVIEWER, "晋城市人力资源和社会保障局技能办"),
    (Role.CALL_ADMIN, "晋城市人力资源和社会保障局"),
    (Role.EXPERT, "platform"),
    (Role.CONSULTED_DEPARTMENT, "晋城市城区人力资源和社会保障局"),
    (Role.SYSTEM_ADMIN, "晋城市人力资源和社会保障局"),
    (Role.AUDIT_ADMIN, "unit"),
]


def resolve(name, unit, platform):
    return {"unit": unit, "platform": platform}.get(name) or org(name)


@pytest.mark.parametrize(("role", "org_name"), ALLOWED)
def test_role_is_granted_in_a_fitting_organisation(unit, platform, role, org_name):
    user = UserFactory(organisation=resolve(org_name, unit, platform))
    grant = grant_role(user=user, role=role)
    assert grant.role == role
    assert user.has_role(role)


@pytest.mark.parametrize(("role", "org_name"), REFUSED)
def test_role_is_refused_in_an_unfitting_organisation(unit, platform, role, org_name):
    organisation = resolve(org_name, unit, platform)
    user = UserFactory(organisation=organisation)
    with pytest.raises(ValidationError) as excinfo:
        grant_role(user=user, role=role)
    assert excinfo.value.messages == [
        f"「{organisation.name}」（{organisation.get_kind_display()}）的用户不能担任「{role.label}」。"
    ]
    assert not RoleGrant.objects.filter(user=user).exists()


def test_user_without_organisation_gets_no_role(db):
    with pytest.raises(ValidationError, match="未归属任何单位"):
        grant_role(user=UserFactory(organisation=None), role=Role.EXPERT)


@pytest.mark.parametrize("first", sorted(EXCLUSIVE_ROLES))
@pytest.mark.parametrize("second", sorted(EXCLUSIVE_ROLES))
def test_two_administrator_roles_are_never_held_together(platform, first, second):
    user = UserFactory(organisation=platform, roles=[])
    grant_role(user=user, role=first)
    if first == second:
        assert grant_role(user=user, role=second).role == first  # granting again is harmless
    else:
        with pytest.raises(ValidationError, match="三权分立"):
            grant_role(user=user, role=second)
    assert set(user.role_grants.values_list("role", flat=True)) == {first}


def test_system_admin_then_audit_admin_is_refused_with_a_chinese_message(platform):
    user = UserFactory(organisation=platform)
    grant_role(user=user, role=Role.SYSTEM_ADMIN)
    with pytest.raises(ValidationError) as excinfo:
        grant_role(user=user, role=Role.AUDIT_ADMIN)
    assert excinfo.value.messages == ["三权分立：「审计管理员」须单独担任，该用户已担任系统管理员。"]


def test_administrator_role_refused_beside_a_business_role(platform):
    # A platform user can only hold a business role through bad data; 三权分立 still refuses the admin role.
    platform_user = UserFactory(organisation=Organisation.objects.get(kind="platform"), roles=[Role.EXPERT])
    with pytest.raises(ValidationError, match="三权分立：「系统管理员」须单独担任"):
        grant_role(user=platform_user, role=Role.SYSTEM_ADMIN)


def test_business_roles_combine(reference):
    user = UserFactory(organisation=org("晋城市人民政府国有资产监督管理委员会"))
    grant_role(user=user, role=Role.DEPARTMENT_REVIEWER)
    grant_role(user=user, role=Role.CONSULTED_DEPARTMENT)
    assert user.roles == {Role.DEPARTMENT_REVIEWER, Role.CONSULTED_DEPARTMENT}


def test_revoke_role_and_revoking_a_role_not_held(platform):
    user = UserFactory(organisation=platform, roles=[Role.SECURITY_ADMIN])
    assert user.has_role(Role.SECURITY_ADMIN)
    with pytest.raises(ValidationError, match="是唯一的「安全管理员」，不能撤销"):
        revoke_role(user=user, role=Role.SECURITY_ADMIN)
    UserFactory(organisation=platform, roles=[Role.SECURITY_ADMIN])  # a second holder: now it may go
    revoke_role(user=user, role=Role.SECURITY_ADMIN)
    assert not user.has_role(Role.SECURITY_ADMIN)
    with pytest.raises(ValidationError, match="未担任「安全管理员」"):
        revoke_role(user=user, role=Role.SECURITY_ADMIN)
    grant_role(user=user, role=Role.AUDIT_ADMIN)  # after revoking, another administrator role is possible
    assert user.roles == {Role.AUDIT_ADMIN}


def test_create_user_with_roles(platform):
    admin = UserFactory(organisation=platform, roles=[Role.SYSTEM_ADMIN])
    user = create_user(
        username="skills2",
        full_name="技能办二",
        organisation=org("晋城市人力资源和社会保障局技能办"),
        password=PASSWORD,
        roles=[Role.CALL_ADMIN],
        granted_by=admin,
    )
    assert user.check_password(PASSWORD)
    assert user.password_changed_at is not None
    assert user.role_grants.get().granted_by == admin


def test_create_user_is_all_or_nothing(platform):
    with pytest.raises(ValidationError) as excinfo:
        create_user(
            username="both",
            full_name="双重",
            organisation=platform,
            password=PASSWORD,
            roles=[Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN],
        )
    assert "三权分立" in excinfo.value.message_dict["roles"][0]
    from shenbao.accounts.models import User

    assert not User.objects.filter(username="both").exists()


def test_create_user_refuses_duplicate_username_weak_password_and_no_organisation(platform):
    UserFactory(username="taken")
    with pytest.raises(ValidationError) as excinfo:
        create_user(username="TAKEN", full_name="甲", organisation=None, password=PASSWORD)
    assert set(excinfo.value.message_dict) == {"username", "organisation"}
    assert "已被使用" in excinfo.value.message_dict["username"][0]
    with pytest.raises(ValidationError) as excinfo:
        create_user(username="weak", full_name="乙", organisation=platform, password="1234567")
    assert "password" in excinfo.value.message_dict


def test_role_predicates(platform):
    admin = UserFactory(organisation=platform, roles=[Role.SYSTEM_ADMIN])
    reviewer = UserFactory(organisation=org("晋城市教育局"), roles=[Role.DEPARTMENT_REVIEWER])
    assert is_system_admin(admin) and not is_system_admin(reviewer)
    assert is_first_reviewer(reviewer) and not is_first_reviewer(admin)
    assert has_role(Role.EXPERT, Role.DEPARTMENT_REVIEWER)(reviewer)
    from django.contrib.auth.models import AnonymousUser

    assert not is_system_admin(AnonymousUser())
