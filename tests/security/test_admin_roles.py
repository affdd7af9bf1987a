"""三权分立 with two people (issue 11, point 1): the system administrator alone can neither create an auditor nor
take the real auditor's role away; a change needs a request by one administrator and a confirmation by another.

Every step goes through the pages with the full middleware stack (CSRF on, logged in through the log-in page).
"""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from shenbao.accounts.models import AdminRoleChange, RoleGrant, User
from shenbao.accounts.roles import Role
from shenbao.audit.models import AuditEntry
from shenbao.notifications.models import Notification
from tests.core.catalogue import compile_english_catalogue
from tests.factories import UserFactory
from tests.web import WebUser

pytestmark = pytest.mark.django_db
ADMIN_ROLES_URL = "/accounts/admin-roles/"


def browser_for(user, password):
    web = WebUser()
    web.log_in(user.username, password)
    return web


@pytest.fixture
def admins(system_admin, security_admin, audit_admin):
    return system_admin, security_admin, audit_admin


@pytest.fixture
def newcomer(platform):
    """A platform account nobody of the three created (the reference data or an earlier administrator did)."""
    return UserFactory(username="newcomer", full_name="吴新人", organisation=platform)


def held(user, role):
    return RoleGrant.objects.filter(user=user, role=role).exists()


def test_the_system_administrator_cannot_create_an_auditor(admins, platform, password):
    system_admin = admins[0]
    web = browser_for(system_admin, password)
    url = f"{reverse('accounts:user_create')}?organisation={platform.public_id}"
    data = {
        "username": "fake_auditor",
        "full_name": "假审计",
        "email": "",
        "phone": "",
        "password1": "Fake#audit2022x",
        "password2": "Fake#audit2022x",
        "roles": [Role.AUDIT_ADMIN.value],
    }
    response = web.post(url, data)
    assert response.status_code == 200  # the form is shown again: not a choice at creation
    assert not RoleGrant.objects.filter(user__username="fake_auditor").exists()


def test_granting_or_revoking_an_administrator_role_directly_is_refused(admins, newcomer, password):
    system_admin, _security_admin, audit_admin = admins
    web = browser_for(system_admin, password)
    for user, action in ((newcomer, "grant"), (audit_admin, "revoke")):
        url = reverse("accounts:user_roles", args=[user.public_id])
        page = web.post(url, {"action": action, "role": Role.AUDIT_ADMIN.value}).content.decode()
        assert "须由一位管理员申请、另一位管理员确认" in page
    assert not held(newcomer, Role.AUDIT_ADMIN) and held(audit_admin, Role.AUDIT_ADMIN)


def test_nobody_requests_an_administrator_role_for_an_account_they_created(admins, platform, password):
    system_admin = admins[0]
    own = UserFactory(username="own_account", organisation=platform, created_by=system_admin)
    web = browser_for(system_admin, password)
    data = {"username": own.username, "role": Role.AUDIT_ADMIN.value, "action": "grant", "reason": "需要第二位审计员。"}
    page = web.post(ADMIN_ROLES_URL, data).content.decode()
    assert "不能申请向本人创建的账号授予管理员角色" in page
    assert not AdminRoleChange.objects.exists()


def test_a_request_by_one_takes_effect_only_when_another_confirms(admins, newcomer, password):
    system_admin, security_admin, audit_admin = admins
    requester = browser_for(system_admin, password)
    data = {"username": newcomer.username, "role": Role.AUDIT_ADMIN.value, "action": "grant", "reason": "增设审计员。"}
    assert requester.post(ADMIN_ROLES_URL, data).status_code == 302
    change = AdminRoleChange.objects.get()
    assert change.status == AdminRoleChange.Status.PENDING and not held(newcomer, Role.AUDIT_ADMIN)
    # The other two administrators and the account concerned are told, with a link to the page.
    told = set(Notification.objects.filter(event="admin_role:request").values_list("recipient__username", flat=True))
    assert told == {security_admin.username, audit_admin.username, newcomer.username}
    assert set(Notification.objects.values_list("url", flat=True)) == {ADMIN_ROLES_URL}

    # The requester cannot confirm their own request.
    confirm = reverse("accounts:admin_role_confirm", args=[change.public_id])
    requester.post(confirm, form_url=ADMIN_ROLES_URL)
    assert AdminRoleChange.objects.get().status == AdminRoleChange.Status.PENDING
    assert not held(newcomer, Role.AUDIT_ADMIN)

    confirmer = browser_for(security_admin, password)
    assert confirmer.post(confirm, form_url=ADMIN_ROLES_URL).status_code == 302
    change.refresh_from_db()
    assert change.status == AdminRoleChange.Status.APPLIED and change.decided_by == security_admin
    assert held(newcomer, Role.AUDIT_ADMIN)
    events = set(AuditEntry.objects.values_list("event", flat=True))
    assert {"accounts:admin_role_request", "accounts:admin_role_confirm"} <= events
    applied = set(Notification.objects.filter(event="admin_role:applied").values_list("recipient__username", flat=True))
    assert applied == {system_admin.username, audit_admin.username, newcomer.username}


def test_the_last_holder_keeps_the_role_and_a_rejected_request_changes_nothing(admins, newcomer, password):
    system_admin, _security_admin, audit_admin = admins
    web = browser_for(system_admin, password)
    data = {"username": audit_admin.username, "role": Role.AUDIT_ADMIN.value, "action": "revoke", "reason": "调岗。"}
    assert "是唯一的「审计管理员」，不能撤销" in web.post(ADMIN_ROLES_URL, data).content.decode()

    data = {"username": newcomer.username, "role": Role.SECURITY_ADMIN.value, "action": "grant", "reason": "轮岗。"}
    web.post(ADMIN_ROLES_URL, data)
    change = AdminRoleChange.objects.get()
    browser_for(audit_admin, password).post(
        reverse("accounts:admin_role_reject", args=[change.public_id]), form_url=ADMIN_ROLES_URL
    )
    change.refresh_from_db()
    assert change.status == AdminRoleChange.Status.REJECTED and not held(newcomer, Role.SECURITY_ADMIN)


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.CALL_ADMIN, Role.COUNTY_REVIEWER])
def test_everyone_else_gets_404(role, password, admins):
    user = UserFactory(roles=[]) if role == Role.APPLICANT else None
    if user is None:
        from shenbao.organisations.models import Organisation
        from tests.factories import GovernmentBodyFactory

        function = {
            Role.CALL_ADMIN: Organisation.Function.CITY_SKILLS_OFFICE,
            Role.COUNTY_REVIEWER: Organisation.Function.COUNTY_HR_BUREAU,
        }[role]
        user = UserFactory(organisation=GovernmentBodyFactory(function=function), roles=[role])
    else:
        RoleGrant.objects.create(user=user, role=role)
    assert browser_for(user, password).get(ADMIN_ROLES_URL).status_code == 404


def test_the_break_glass_command_needs_a_reason_and_tells_every_administrator(admins, newcomer):
    with pytest.raises(CommandError, match="须写明理由"):
        call_command("admin_role", "grant", user=newcomer.username, role="audit_admin", reason="急")
    out = io.StringIO()
    call_command(
        "admin_role",
        "grant",
        user=newcomer.username,
        role="audit_admin",
        reason="原审计员离职，暂由其代理。",
        stdout=out,
    )
    assert held(newcomer, Role.AUDIT_ADMIN)
    entry = AuditEntry.objects.get(event="accounts:admin_role_break_glass")
    assert entry.additional_data["reason"] == "原审计员离职，暂由其代理。"
    told = set(
        Notification.objects.filter(event="admin_role:break_glass").values_list("recipient__username", flat=True)
    )
    assert set(told) == {admin.username for admin in admins} | {newcomer.username}
    assert User.objects.get(pk=newcomer.pk).is_active


def test_the_request_is_on_the_other_administrators_dashboards(admins, newcomer, password):
    system_admin, security_admin, _audit_admin = admins
    requester = browser_for(system_admin, password)
    data = {"username": newcomer.username, "role": Role.AUDIT_ADMIN.value, "action": "grant", "reason": "增设审计员。"}
    requester.post(ADMIN_ROLES_URL, data)

    def waiting(web):
        cards = web.get("/dashboard/").context["dashboard"].cards
        return next(card.figure for card in cards if card.url == ADMIN_ROLES_URL)

    assert waiting(browser_for(security_admin, password)) == 1
    assert waiting(requester) == 0  # one's own request is not one's own 待办


def test_the_notification_is_written_in_the_working_language_whatever_the_requesters_page(
    admins, newcomer, password, settings, tmp_path
):
    """An administrator reading the site in English asks for a change: the page answers in English, the letters to
    the other administrators are written in Chinese (the working language), not in the requester's language."""
    settings.LOCALE_PATHS = [compile_english_catalogue(tmp_path)]
    translation.trans_real._translations = {}  # the catalogue of the new LOCALE_PATHS, not a cached one
    requester = browser_for(admins[0], password)
    requester.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Administrator roles" in requester.get(ADMIN_ROLES_URL).content.decode()

    data = {"username": newcomer.username, "role": Role.AUDIT_ADMIN.value, "action": "grant", "reason": "增设审计员"}
    assert requester.post(ADMIN_ROLES_URL, data).status_code == 302

    letters = Notification.objects.filter(event="admin_role:request")
    assert {letter.title for letter in letters} == {"管理员角色变更待确认"}
    assert {letter.body for letter in letters} == {
        f"{admins[0]}申请授予「{newcomer}」（newcomer）的「审计管理员」角色，理由：增设审计员。须由另一位管理员确认后生效。"
    }
    translation.trans_real._translations = {}
