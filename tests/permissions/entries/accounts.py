"""accounts: log-in/out, passwords, profile, registration, invitations, user administration (and set_language)."""

from django.utils import timezone

from shenbao.accounts import activation as activations
from shenbao.accounts.invitations import make_invitation_token
from shenbao.accounts.models import Activation, AdminRoleChange
from tests.factories import UserFactory
from tests.permissions.dsl import (
    ANON,
    APPLICANT,
    LOGGED_IN,
    OWN,
    PLATFORM,
    ROLES,
    SECADMIN,
    SYSADMIN,
    allow,
    check,
    expect,
    get,
    post,
    public,
)
from tests.permissions.dsl import REDIRECT as ELSEWHERE


def _grants(user):
    return sorted(user.role_grants.values_list("role", flat=True))


ENTRIES = [
    post("set_language", allow(ROLES, status=ELSEWHERE), data={"language": "zh-hans", "next": "/"}),
    # Log-in: a signed-in user is sent on to the dashboard.
    public("accounts:login", expect(ELSEWHERE, LOGGED_IN)),
    post("accounts:logout", allow(ROLES, status=ELSEWHERE)),
    get("accounts:logout", expect(405, ROLES), note="log-out is POST only (CSRF)"),
    get("accounts:password_change", allow(LOGGED_IN)),
    post("accounts:password_change", allow(LOGGED_IN), note="allowed: the form again (no data)"),
    get("accounts:password_change_done", allow(LOGGED_IN)),
    public("accounts:password_reset"),
    check("POST", "accounts:password_reset", allow(ROLES), data={"email": ""}, note="the form again: no address"),
    public("accounts:password_reset_done"),
    public(
        "accounts:password_reset_confirm",
        kwargs={"uidb64": "MQ", "token": "invalid-token"},
        note="a wrong link: the page says so, whoever opens it",
    ),
    public("accounts:password_reset_complete"),
    get("accounts:profile", allow(LOGGED_IN)),
    # One's own log-in e-mail: a request (a confirmation link goes to the old address), never somebody else's.
    post(
        "accounts:email_change",
        allow(LOGGED_IN, status=302),
        data={"email": "matrix-new@example.cn"},
        note="sends a confirmation link; nothing changes until it is opened",
    ),
    public(
        "accounts:email_change_confirm",
        expect(400, ROLES),
        kwargs={"token": "forged-token"},
        note="the signed link is the proof; a forged one is refused for everybody",
    ),
    check(
        "POST",
        "accounts:email_change_confirm",
        expect(400, ROLES),
        kwargs={"token": "forged-token"},
        data={},
        note="a forged link changes nothing for anybody",
    ),
    # Registration of a new unit: anonymous only; a signed-in user is sent to the dashboard.
    public("accounts:register", expect(ELSEWHERE, LOGGED_IN)),
    check(
        "POST",
        "accounts:register",
        allow(ROLES),
        expect(ELSEWHERE, LOGGED_IN),
        data={},
        note="anonymous: the form again with its errors; signed in: sent to the dashboard, nothing registered",
    ),
    public("accounts:check_credit_code", query="credit_code=91140500MA0KXXXXXX"),
    # The confirmation link of a registration: the signed link is the proof; a forged one is refused for everybody.
    public("accounts:register_confirm", expect(400, ROLES), kwargs={"token": "forged"}),
    check("POST", "accounts:register_confirm", expect(400, ROLES), kwargs={"token": "forged"}, data={}),
    # Invitations: applicants of an active unit only; everybody else: 404 (the page is not there for them).
    get("accounts:invite", allow(APPLICANT), denied=404),
    post("accounts:invite", allow(APPLICANT), denied=404, data={"email": "", "full_name": ""}),
    post(
        "accounts:revoke_invitation",
        allow(APPLICANT, on=OWN, status=302),
        obj="invitation",
        watch=lambda invitation: invitation.revoked_at,
    ),
    get(
        "accounts:accept_invitation",
        allow(ANON),
        expect(400, LOGGED_IN),
        obj="invitation",
        relations=(OWN,),
        kwargs=lambda invitation: {"token": make_invitation_token(invitation=invitation)},
        note="the invitee is not signed in; a signed-in user is told to sign out first (400)",
    ),
    check(
        "POST",
        "accounts:accept_invitation",
        allow(ANON),
        expect(400, LOGGED_IN),
        obj="invitation",
        relations=(OWN,),
        kwargs=lambda invitation: {"token": make_invitation_token(invitation=invitation)},
        data={},
        watch=lambda invitation: invitation.accepted_at,
    ),
    # User administration (三权分立): the system administrator manages, the security administrator may look.
    get("accounts:user_list", allow(SYSADMIN, SECADMIN), denied=404),
    get("accounts:user_create", allow(SYSADMIN), denied=404),
    post("accounts:user_create", allow(SYSADMIN), denied=404),
    get("accounts:user_roles", allow(SYSADMIN), obj="user"),
    post(
        "accounts:user_roles",
        allow(SYSADMIN),
        obj="user",
        data={"action": "grant", "role": "call_admin"},
        watch=_grants,
    ),
    # 激活链接: the system administrator resends; the person opens the link signed out.
    post(
        "accounts:resend_activation",
        allow(SYSADMIN, status=302),
        denied=404,
        obj="accounts.not_activated_user",
        watch=lambda user: Activation.objects.filter(user=user).count(),
    ),
    public(
        "accounts:activate",
        expect(400, LOGGED_IN),
        obj="accounts.activation",
        kwargs=lambda activation: {"token": activations.make_activation_token(activation=activation)},
        note="the person is not signed in; a signed-in user is told to sign out first (400)",
    ),
    check(
        "POST",
        "accounts:activate",
        allow(ANON),
        expect(400, LOGGED_IN),
        obj="accounts.activation",
        kwargs=lambda activation: {"token": activations.make_activation_token(activation=activation)},
        data={},
        watch=lambda activation: Activation.objects.get(pk=activation.pk).used_at,
        note="no password given: the form again, the link stays unused",
    ),
    # 三权分立 with two people: the three administrators request, confirm and reject; everyone else: 404.
    get("accounts:admin_roles", allow(PLATFORM), denied=404),
    post("accounts:admin_roles", allow(PLATFORM), denied=404, data={}, note="the form again with its errors"),
    post(
        "accounts:admin_role_confirm",
        allow(PLATFORM, status=302),
        denied=404,
        obj="accounts.admin_role_change",
        watch=lambda change: AdminRoleChange.objects.get(pk=change.pk).status,
    ),
    post(
        "accounts:admin_role_reject",
        allow(PLATFORM, status=302),
        denied=404,
        obj="accounts.admin_role_change",
        watch=lambda change: AdminRoleChange.objects.get(pk=change.pk).status,
    ),
]


def build(scenario):
    platform = scenario.users[SYSADMIN].organisation
    requester = scenario.make_user(SYSADMIN, platform, username="matrix_admin_requester")
    target = UserFactory(organisation=platform, username="matrix_admin_target")
    change = AdminRoleChange.objects.create(
        target=target,
        role="security_admin",
        action="grant",
        reason="矩阵场景。",
        requested_by=requester,
        requested_at=timezone.now(),
    )
    scenario.add("accounts.admin_role_change", change)
    # Two accounts: the resend supersedes its account's link, which must not be the link the other entries open.
    pending, _ = activations.create_user_with_activation(
        granted_by=None,
        username="matrix_not_activated",
        full_name="矩阵未激活",
        organisation=platform,
        email="matrix-activation@example.cn",
    )
    _, activation = activations.create_user_with_activation(
        granted_by=None,
        username="matrix_activation_link",
        full_name="矩阵激活链接",
        organisation=platform,
        email="matrix-link@example.cn",
    )
    scenario.add("accounts.not_activated_user", pending)
    scenario.add("accounts.activation", activation)
