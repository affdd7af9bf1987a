"""激活链接 through the pages (the full middleware stack, CSRF on, logged in through the log-in page): expiry at
the boundary, single use, resend, audit, the password-reset page for accounts never activated."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from shenbao.accounts import activation as activations
from shenbao.accounts.models import Activation, User
from shenbao.accounts.roles import Role
from shenbao.audit.models import AuditEntry
from shenbao.core import sms
from tests.factories import OrganisationFactory, PlatformFactory, UserFactory
from tests.web import WebUser, mailed_link

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Xin#mima2026"


@pytest.fixture
def sysadmin(password):
    return UserFactory(username="sys", organisation=PlatformFactory(), roles=[Role.SYSTEM_ADMIN])


@pytest.fixture
def admin_web(sysadmin, password):
    web = WebUser()
    web.log_in("sys", password)
    return web


def _create_without_password(admin_web, unit, capture, **fields):
    data = {
        "username": "liu_dept",
        "full_name": "刘初审",
        "email": "liu@example.cn",
        "phone": "13935612345",
        "password1": "",
        "password2": "",
        "roles": [Role.DEPARTMENT_REVIEWER],
        **fields,
    }
    url = f"/accounts/users/new/?organisation={unit.public_id}"
    with capture(execute=True):
        response = admin_web.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return User.objects.get(username=data["username"])


def _link(message):
    return mailed_link(message.body, "/accounts/activate/")


@pytest.fixture
def department():
    return OrganisationFactory(kind="government", function="competent_department", name="晋城市测试局")


@override_settings(SHENBAO_SMS_BACKEND="shenbao.core.sms.LocmemBackend")
def test_a_user_created_without_password_activates_once_through_the_mailed_link(
    admin_web, department, django_capture_on_commit_callbacks
):
    sms.outbox.clear()
    user = _create_without_password(admin_web, department, django_capture_on_commit_callbacks)
    assert not user.has_usable_password()
    [message] = [m for m in mail.outbox if m.to == ["liu@example.cn"]]
    assert "激活" in message.subject
    assert "liu_dept" in message.body
    link = _link(message)
    assert sms.outbox and sms.outbox[-1][0] == "13935612345" and link in sms.outbox[-1][1]

    # The administrator's list marks the account 未激活 and filters on it.
    page = admin_web.get("/accounts/users/?status=not_activated").content.decode()
    assert "liu_dept" in page and "未激活" in page and "重新发送激活链接" in page
    assert "sys</td>" not in page

    person = WebUser(remote_addr="192.0.2.77")
    assert "设置密码并激活" in person.get(link).content.decode()
    response = person.post(link, {"new_password1": "123", "new_password2": "123"})
    assert response.status_code == 200  # Django's validators refuse a weak password, nothing is used up
    assert not Activation.objects.get(user=user).used_at
    response = person.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response.url == "/accounts/login/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD) and user.password_changed_at is not None
    person.log_in("liu_dept", NEW_PASSWORD)

    # Single use: the same link, even signed out again, is refused.
    again = WebUser(remote_addr="192.0.2.78")
    response = again.get(link)
    assert response.status_code == 400 and "已被使用" in response.content.decode()
    events = set(AuditEntry.objects.filter(object_pk=str(user.pk)).values_list("event", flat=True))
    assert {"accounts:activation_issue", "accounts:activation_use"} <= events
    assert "liu_dept" not in admin_web.get("/accounts/users/?status=not_activated").content.decode()


def test_expiry_the_last_second_is_valid_and_the_next_refused(sysadmin, department, settings):
    settings.SHENBAO_ACTIVATION_HOURS = 72
    user, activation = activations.create_user_with_activation(
        granted_by=sysadmin, username="exp", full_name="到期", organisation=department, email="exp@example.cn"
    )
    token = activations.make_activation_token(activation=activation)
    assert activation.expires_at == activation.created_at + timedelta(hours=72)
    assert activations.get_activation_for_token(token=token, at=activation.expires_at) == activation
    with pytest.raises(ValidationError, match="已过期"):
        activations.get_activation_for_token(token=token, at=activation.expires_at + timedelta(seconds=1))
    with pytest.raises(ValidationError, match="已过期"):
        activations.activate_account(
            token=token, password=NEW_PASSWORD, at=activation.expires_at + timedelta(seconds=1)
        )
    activations.activate_account(token=token, password=NEW_PASSWORD, at=activation.expires_at)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_expiry_through_the_page(sysadmin, department, settings):
    settings.SHENBAO_ACTIVATION_HOURS = 1
    user = activations.create_user(
        password=None, username="late", full_name="迟到", organisation=department, email="late@example.cn"
    )
    now = timezone.now()
    fresh = activations.issue_activation(user=user, at=now - timedelta(hours=1) + timedelta(seconds=30))
    path = f"/accounts/activate/{activations.make_activation_token(activation=fresh)}/"
    assert WebUser().get(path).status_code == 200
    stale = activations.issue_activation(user=user, at=now - timedelta(hours=1) - timedelta(seconds=1))
    response = WebUser().get(f"/accounts/activate/{activations.make_activation_token(activation=stale)}/")
    assert response.status_code == 400 and "已过期" in response.content.decode()


def test_resend_invalidates_the_older_link_and_is_audited(admin_web, department, django_capture_on_commit_callbacks):
    user = _create_without_password(admin_web, department, django_capture_on_commit_callbacks)
    first = _link(mail.outbox[-1])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_web.post(f"/accounts/users/{user.public_id}/activation/", form_url="/accounts/users/")
    assert response.status_code == 302
    second = _link(mail.outbox[-1])
    assert first != second
    response = WebUser().get(first)
    assert response.status_code == 400 and "已失效" in response.content.decode()
    person = WebUser()
    response = person.post(second, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    resend = AuditEntry.objects.get(event="accounts:activation_resend")
    assert resend.actor_id == User.objects.get(username="sys").pk
    # Activated: nothing more to resend.
    admin_web.post(f"/accounts/users/{user.public_id}/activation/", form_url="/accounts/users/")
    assert AuditEntry.objects.filter(event="accounts:activation_resend").count() == 1


def test_a_signed_in_user_cannot_use_a_link(admin_web, sysadmin, department):
    _user, activation = activations.create_user_with_activation(
        granted_by=sysadmin, username="x1", full_name="某人", organisation=department, email="x1@example.cn"
    )
    response = admin_web.get(f"/accounts/activate/{activations.make_activation_token(activation=activation)}/")
    assert response.status_code == 400
    assert WebUser().get("/accounts/activate/forged/").status_code == 400


def test_password_reset_sends_an_activation_link_to_an_account_never_activated(
    sysadmin, department, django_capture_on_commit_callbacks
):
    user = activations.create_user(
        password=None, username="never", full_name="未激活者", organisation=department, email="never@example.cn"
    )
    visitor = WebUser()
    with django_capture_on_commit_callbacks(execute=True):
        known = visitor.post("/accounts/password/reset/", {"email": "NEVER@example.cn"})
    with django_capture_on_commit_callbacks(execute=True):
        unknown = visitor.post("/accounts/password/reset/", {"email": "nobody@example.cn"})
    assert known.status_code == unknown.status_code == 302 and known.url == unknown.url  # no account disclosed
    [message] = mail.outbox
    assert message.to == ["never@example.cn"] and "激活" in message.subject
    response = WebUser().post(_link(message), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    entry = AuditEntry.objects.get(event="accounts:activation_issue")
    assert entry.additional_data["reason"] == "reset"


def test_an_initial_password_still_works_and_sends_no_link(admin_web, department, django_capture_on_commit_callbacks):
    user = _create_without_password(
        admin_web,
        department,
        django_capture_on_commit_callbacks,
        username="withpw",
        password1=NEW_PASSWORD,
        password2=NEW_PASSWORD,
    )
    assert user.has_usable_password()
    assert not Activation.objects.filter(user=user).exists()
    assert not [m for m in mail.outbox if re.search("/accounts/activate/", m.body)]
