"""The security policy page shows the running configuration; every identity event lands in the audit trail."""

import pytest
from django.test import Client
from django.urls import reverse

from shenbao.audit.events import Event
from shenbao.audit.models import AuditEntry
from shenbao.security.policy import active_policy
from tests.factories import UserFactory
from tests.security.helpers import log_in

pytestmark = pytest.mark.django_db


def test_the_active_policy_is_read_from_the_settings():
    policy = active_policy()
    assert (policy.min_length, policy.min_classes, policy.history_count, policy.forbids_username) == (8, 3, 5, True)
    assert (policy.max_age_days, policy.failure_limit, policy.cooloff_minutes) == (90, 5, 15)
    assert (policy.idle_timeout_minutes, policy.lockout_parameters) == (30, ("username",))


def test_the_policy_page_shows_the_settings_in_chinese(client, security_admin):
    client.force_login(security_admin)
    html = client.get(reverse("security:policy")).content.decode()
    for text in [
        "8 个字符",
        "大写字母、小写字母、数字、符号中至少 3 类",
        "不得重复使用最近 5 次的密码",
        "90 天",
        "同一用户名连续 5 次登录失败，锁定 15 分钟",
        "30 分钟未操作自动退出",
        "未强制",  # the test profile: second factor off
    ]:
        assert text in html, text


def test_the_policy_page_follows_a_changed_setting_and_lists_superusers(client, security_admin, settings, platform):
    settings.SHENBAO_PASSWORD_MAX_AGE_DAYS = 60
    settings.SHENBAO_REQUIRE_SECOND_FACTOR = True
    UserFactory(username="emergency_root", organisation=platform, is_superuser=True)
    client.force_login(security_admin)
    # The administrator has to pass the second factor first.
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.security.helpers import totp_code

    client.get(reverse("security:otp_enrol"))
    client.post(reverse("security:otp_enrol"), {"token": totp_code(TOTPDevice.objects.get(user=security_admin))})

    html = client.get(reverse("security:policy")).content.decode()

    assert "60 天" in html
    assert "工作人员、评审专家和管理员必须使用" in html
    assert "emergency_root" in html


def test_every_identity_event_of_a_working_day_is_in_the_trail(reviewer, security_admin):
    """Log-in, failure, lockout, unlock, password change, log-out: one entry each, with actor and address."""
    user = Client(REMOTE_ADDR="198.51.100.50")
    admin = Client()
    admin.force_login(security_admin)

    log_in(user, "county_li")
    user.post(
        reverse("accounts:password_change"),
        {"old_password": "Test#pass2022", "new_password1": "Workday#pass2024", "new_password2": "Workday#pass2024"},
    )
    user.post(reverse("accounts:logout"))
    for _ in range(5):
        log_in(user, "county_li", "Wrong#guess2022")
    admin.post(reverse("security:unlock"), {"username": "county_li"})

    events = list(
        AuditEntry.objects.exclude(event__in=[Event.CREATE, Event.UPDATE, Event.DELETE])
        .exclude(actor=security_admin, event=Event.LOGIN)
        .order_by("id")
        .values_list("event", flat=True)
    )
    assert events == [
        Event.LOGIN,
        Event.PASSWORD_CHANGE,
        Event.LOGOUT,
        *[Event.LOGIN_FAILED] * 4,
        Event.LOCKOUT,
        Event.LOGIN_FAILED,
        Event.UNLOCK,
    ]
    assert set(
        AuditEntry.objects.filter(
            event__in=[Event.LOGIN, Event.LOGOUT, Event.LOCKOUT], object_pk=str(reviewer.pk)
        ).values_list("remote_addr", flat=True)
    ) == {"198.51.100.50"}


def test_the_new_events_have_chinese_labels():
    for event in [Event.LOCKOUT, Event.UNLOCK, Event.OTP_ENROL, Event.OTP_RESET, Event.SESSION_TIMEOUT]:
        assert Event.label_for(event.value) != event.value
