import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shenbao.accounts.models import User
from shenbao.accounts.roles import Role
from shenbao.organisations.models import Organisation
from tests.factories import OrganisationFactory, PlatformFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform():
    return PlatformFactory()


@pytest.fixture
def sysadmin(platform):
    return UserFactory(username="sys", organisation=platform, roles=[Role.SYSTEM_ADMIN])


@pytest.fixture
def secadmin(platform):
    return UserFactory(username="sec", organisation=platform, roles=[Role.SECURITY_ADMIN])


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN])
def test_user_list_is_open_to_system_and_security_admins(client, platform, role):
    client.force_login(UserFactory(organisation=platform, roles=[role]))
    assert client.get(reverse("accounts:user_list")).status_code == 200
    assert reverse("accounts:user_list") == "/accounts/users/"


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN)])
def test_user_list_is_404_for_everyone_else(client, role):
    client.force_login(UserFactory(roles=[role]))
    assert client.get(reverse("accounts:user_list")).status_code == 404


def test_user_list_404_without_roles(client):
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:user_list")).status_code == 404


def test_security_admin_may_list_but_not_create_or_change_roles(client, secadmin, sysadmin):
    client.force_login(secadmin)
    assert client.get(reverse("accounts:user_create")).status_code == 404
    assert client.get(reverse("accounts:user_roles", args=[sysadmin.public_id])).status_code == 404
    response = client.post(
        reverse("accounts:user_roles", args=[sysadmin.public_id]), {"action": "revoke", "role": "system_admin"}
    )
    assert response.status_code == 404
    assert sysadmin.role_grants.exists()


def test_user_list_filters_by_role_text_and_organisation(client, sysadmin):
    unit = OrganisationFactory(name="筛选单位")
    UserFactory(username="alpha", organisation=unit, roles=[Role.APPLICANT])
    UserFactory(username="beta", full_name="贝塔", roles=[Role.EXPERT])
    client.force_login(sysadmin)

    def usernames(params):
        return [u.username for u in client.get(reverse("accounts:user_list"), params).context["page_obj"]]

    assert usernames({"role": "applicant"}) == ["alpha"]
    assert usernames({"q": "贝塔"}) == ["beta"]
    assert usernames({"q": "筛选单位"}) == ["alpha"]
    assert usernames({"organisation": str(unit.public_id)}) == ["alpha"]
    assert usernames({"organisation": "00000000-0000-0000-0000-000000000000"}) == []


# The whole page's queries, exactly: the same with one row as with many, so a fixed extra query fails too.
USER_LIST_QUERIES = 8


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context), response


def test_user_list_query_count_does_not_grow_with_rows(client, sysadmin):
    client.force_login(sysadmin)
    one, response = count_queries(client, reverse("accounts:user_list"))
    assert len(response.context["page_obj"].object_list) == 1
    for n in range(20):
        unit = OrganisationFactory()
        UserFactory(username=f"bulk{n:02d}", organisation=unit, roles=[Role.APPLICANT, Role.EXPERT])
    many, response = count_queries(client, reverse("accounts:user_list"))
    assert len(response.context["page_obj"].object_list) == 21
    assert "评审专家" in response.content.decode()
    assert (one, many) == (USER_LIST_QUERIES, USER_LIST_QUERIES)


def test_user_create_picks_an_organisation_then_creates_with_roles(client, sysadmin):
    unit = OrganisationFactory(name="新建用户的单位")
    client.force_login(sysadmin)
    response = client.get(reverse("accounts:user_create"), {"q": "新建用户"})
    assert [org.name for org in response.context["results"]] == [unit.name]

    url = reverse("accounts:user_create") + f"?organisation={unit.public_id}"
    data = {
        "username": "newbie",
        "full_name": "新人",
        "email": "",
        "phone": "",
        "password1": "Strong#pass2022",
        "password2": "Strong#pass2022",
        "roles": ["applicant", "expert"],
    }
    response = client.post(url, data)
    user = User.objects.get(username="newbie")
    assert response.url == reverse("accounts:user_roles", args=[user.public_id])
    assert user.organisation == unit
    assert user.roles == {Role.APPLICANT, Role.EXPERT}
    assert set(user.role_grants.values_list("granted_by", flat=True)) == {sysadmin.pk}


def test_user_create_shows_service_errors_on_the_form(client, sysadmin):
    unit = OrganisationFactory()
    client.force_login(sysadmin)
    url = reverse("accounts:user_create") + f"?organisation={unit.public_id}"
    data = {
        "username": "sys",
        "full_name": "重复",
        "password1": "Strong#pass2022",
        "password2": "Strong#pass2022",
        "roles": ["call_admin"],
    }
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "用户名「sys」已被使用" in html
    data["username"] = "fresh"
    response = client.post(url, data)
    assert "不能担任「申报管理员（技能办）」" in response.content.decode()
    assert not User.objects.filter(username="fresh").exists()
    # An administrator role is not even a choice at creation (三权分立: it needs a second administrator).
    data["roles"] = ["system_admin"]
    assert "system_admin" not in dict(client.post(url, data).context["form"].fields["roles"].choices)
    assert not User.objects.filter(username="fresh").exists()


def test_user_roles_grant_and_revoke_through_the_services(client, sysadmin, reference):
    skills_office = Organisation.objects.get(function=Organisation.Function.CITY_SKILLS_OFFICE)
    target = UserFactory(username="target", organisation=skills_office)
    client.force_login(sysadmin)
    url = reverse("accounts:user_roles", args=[target.public_id])
    assert client.post(url, {"action": "grant", "role": "call_admin"}).status_code == 302
    assert set(target.role_grants.values_list("role", flat=True)) == {"call_admin"}
    response = client.post(url, {"action": "grant", "role": "expert"})
    assert response.status_code == 302
    assert client.post(url, {"action": "revoke", "role": "call_admin"}).status_code == 302
    assert set(target.role_grants.values_list("role", flat=True)) == {"expert"}
    # An administrator role: refused here, it needs the two-person page.
    response = client.post(url, {"action": "grant", "role": "audit_admin"})
    assert response.status_code == 200 and "三权分立" in response.content.decode()


def test_organisation_detail_links_to_user_admin_for_system_admin(client, sysadmin):
    unit = OrganisationFactory()
    client.force_login(sysadmin)
    html = client.get(reverse("organisations:detail", args=[unit.public_id])).content.decode()
    assert f"{reverse('accounts:user_create')}?organisation={unit.public_id}" in html
    assert Organisation.objects.count() == 2
