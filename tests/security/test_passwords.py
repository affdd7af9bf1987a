"""Password policy at its boundaries: length, character classes, user name, history and expiry (等保2.0)."""

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from shenbao.accounts.services import set_password
from shenbao.audit.events import Event
from shenbao.audit.models import AuditEntry
from shenbao.security.models import PasswordHistory
from shenbao.security.passwords import character_classes
from tests.factories import UserFactory
from tests.security.helpers import PASSWORD, log_in

pytestmark = pytest.mark.django_db


def refusal(password, user):
    """The Chinese messages for a refused password, or [] when it is accepted."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return exc.messages
    return []


@pytest.fixture
def user():
    return UserFactory(username="liming")


def test_seven_characters_are_refused_eight_are_accepted(user):
    assert any("至少" in message and "8" in message for message in refusal("Ab#4567", user))
    assert refusal("Ab#45678", user) == []


@pytest.mark.parametrize(
    ("password", "classes"),
    [
        ("abcdefgh", 1),
        ("abcdefg5", 2),
        ("abcdefG5", 3),
        ("abcdeF#5", 4),
        ("ABCDEFGH#", 2),
        ("12345678#a", 3),
        ("申报评审abcd1", 3),  # anything not a letter or digit counts as a symbol
    ],
)
def test_character_classes(password, classes):
    assert character_classes(password) == classes


def test_two_classes_are_refused_three_are_accepted(user):
    two = refusal("qazwsxedc159", user)
    assert "密码须包含大写字母、小写字母、数字、符号中的至少 3 类。" in two
    assert refusal("qazwsxedc15#", user) == []
    assert refusal("QAZWSXEDC15#", user) == []
    assert refusal("Qazwsxedc159", user) == []


@pytest.mark.parametrize("password", ["liming#2022X", "LiMing#2022x", "X2022#LIMING"])
def test_the_user_name_in_any_case_is_refused(user, password):
    assert "密码不能包含用户名。" in refusal(password, user)


def test_the_user_name_rule_applies_before_the_user_is_saved():
    from shenbao.accounts.models import User

    assert "密码不能包含用户名。" in refusal("Zhangsan#2022", User(username="zhangsan"))


PASSWORDS = [f"Round{n}#pass2022" for n in range(1, 8)]


def set_all(user, passwords):
    for password in passwords:
        set_password(user=user, password=password)


def test_the_fifth_most_recent_password_is_refused_the_sixth_is_accepted(user):
    set_all(user, PASSWORDS[:6])  # current = Round6; most recent first: 6, 5, 4, 3, 2, 1

    for reused in PASSWORDS[1:6]:  # Round2 … Round6: the last five, the current one included
        assert "新密码不能与最近 5 次使用过的密码相同。" in refusal(reused, user), reused
    assert refusal(PASSWORDS[0], user) == []  # Round1 is the sixth most recent


def test_history_keeps_five_hashes_and_no_password(user):
    set_all(user, PASSWORDS)

    stored = list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True))
    assert len(stored) == 5
    assert all(value.startswith("md5$") for value in stored)  # the test profile's hasher
    assert not any(password in value for password in PASSWORDS for value in stored)


def test_the_current_password_counts_even_without_history(user):
    assert not PasswordHistory.objects.filter(user=user).exists()
    assert "新密码不能与最近 5 次使用过的密码相同。" in refusal(PASSWORD, user)


def test_the_change_page_refuses_a_recent_password_in_chinese(client, user):
    set_all(user, ["Earlier#pass2021", PASSWORD])
    client.force_login(user)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Earlier#pass2021", "new_password2": "Earlier#pass2021"},
    )

    assert response.status_code == 200
    assert "新密码不能与最近 5 次使用过的密码相同。" in response.content.decode()


def test_a_password_change_through_the_page_is_remembered_and_audited(client, user):
    client.force_login(user)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Brand#new2024", "new_password2": "Brand#new2024"},
        REMOTE_ADDR="198.51.100.20",
    )

    assert response.status_code == 302
    assert PasswordHistory.objects.filter(user=user).count() == 1
    entry = AuditEntry.objects.get(event=Event.PASSWORD_CHANGE)
    assert (entry.actor, entry.object_pk, entry.remote_addr) == (user, str(user.pk), "198.51.100.20")
    assert entry.additional_data == {"via": "change"}
    assert "Brand#new2024" not in str(entry.additional_data) + str(entry.changes)


# --- expiry -------------------------------------------------------------------------------------------------------


def aged(user, days):
    user.password_changed_at = timezone.now() - timedelta(days=days)
    user.save(update_fields=["password_changed_at"])
    return user


def test_a_reviewer_password_of_89_days_still_works(client, reviewer):
    client.force_login(aged(reviewer, 89))
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_a_reviewer_password_of_90_days_forces_the_change_page_first(client, reviewer):
    client.force_login(aged(reviewer, 90))

    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_change")
    page = client.get(response.url)
    assert page.status_code == 200
    assert "您的密码已使用超过 90 天，请先修改密码再继续使用系统。" in page.content.decode()
    # Every other page, and a form post, is held back as well.
    assert client.get(reverse("calls:list")).url == reverse("accounts:password_change")
    assert client.post(reverse("accounts:profile")).url == reverse("accounts:password_change")

    client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Renewed#pass2024", "new_password2": "Renewed#pass2024"},
    )
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_an_expired_password_sends_the_log_in_to_the_change_page(client, reviewer):
    aged(reviewer, 120)

    response = log_in(client, "county_li", follow=True)

    assert response.redirect_chain[-1][0] == reverse("accounts:password_change")
    assert "请先修改密码" in response.content.decode()


@pytest.mark.parametrize("fixture", ["expert", "security_admin", "system_admin", "audit_admin"])
def test_experts_and_administrators_expire_too(client, request, fixture):
    client.force_login(aged(request.getfixturevalue(fixture), 90))
    assert client.get(reverse("core:dashboard")).url == reverse("accounts:password_change")


def test_an_applicant_password_does_not_expire(client, applicant):
    client.force_login(aged(applicant, 400))
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_the_period_is_a_setting(client, reviewer, settings):
    settings.SHENBAO_PASSWORD_MAX_AGE_DAYS = 30
    client.force_login(aged(reviewer, 30))
    assert client.get(reverse("core:dashboard")).url == reverse("accounts:password_change")


def test_without_a_recorded_change_the_account_creation_date_counts(client, reviewer):
    reviewer.password_changed_at = None
    reviewer.date_joined = timezone.now() - timedelta(days=91)
    reviewer.save()
    client.force_login(reviewer)
    assert client.get(reverse("core:dashboard")).url == reverse("accounts:password_change")


def test_the_api_answers_json_for_an_expired_password(client, reviewer):
    client.force_login(aged(reviewer, 90))
    response = client.get("/api/scoring/assignments")
    assert response.status_code == 403
    assert "请先修改密码" in response.json()["detail"]
