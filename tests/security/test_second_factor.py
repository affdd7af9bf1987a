"""TOTP second factor: enrolment with a locally rendered QR code, verification after the password, reset."""

import base64
import re
from base64 import b32encode

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from shenbao.audit.events import Event
from shenbao.audit.models import AuditEntry
from tests.security.helpers import log_in, totp_code

pytestmark = pytest.mark.django_db

DASHBOARD = "/dashboard/"
ENROL = "/security/otp/enrol/"
VERIFY = "/security/otp/verify/"


@pytest.fixture
def no_throttle(settings):
    # django-otp waits 1, 2, 4 … seconds after each wrong code; tests that follow a wrong code with a right one
    # would otherwise have to sleep.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def enrol(client, user):
    """Sign `user` in on `client` and enrol a device with the current code."""
    if client.session.get("_auth_user_id") != str(user.pk):
        client.force_login(user)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=user)
    response = client.post(ENROL, {"token": totp_code(device)})
    assert response.status_code == 302, response.content.decode()
    device.refresh_from_db()
    return device


def test_after_the_password_a_reviewer_without_a_device_must_enrol_first(client, reviewer, second_factor_on):
    response = log_in(client, "county_li")
    assert response.url == DASHBOARD

    held = client.get(DASHBOARD)

    assert held.status_code == 302
    assert held.url == f"{ENROL}?next=%2Fdashboard%2F"
    assert client.get("/calls/").url.startswith(ENROL)


def test_the_enrolment_page_shows_a_local_qr_code_and_the_secret(client, reviewer, second_factor_on):
    client.force_login(reviewer)

    html = client.get(ENROL).content.decode()

    device = TOTPDevice.objects.get(user=reviewer, confirmed=False)
    match = re.search(r'<img class="otp-qr[^"]*" src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert match, "QR code must be an inline data: image (the CSP allows img-src data:, no external host)"
    svg = base64.b64decode(match.group(1)).decode()
    assert svg.startswith("<svg") and "<path" in svg and "<script" not in svg
    secret = b32encode(device.bin_key).decode().rstrip("=")
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in html
    assert "http" not in match.group(0).split("base64,")[0]
    # Reloading keeps the same secret, so a code scanned a moment ago stays valid.
    client.get(ENROL)
    assert TOTPDevice.objects.get(user=reviewer).key == device.key


def test_the_qr_code_encodes_the_otpauth_url(reviewer):
    from shenbao.security.second_factor import qr_code_data_uri, start_enrolment

    device = start_enrolment(user=reviewer)

    assert device.config_url.startswith("otpauth://totp/")
    assert "issuer=" in device.config_url
    assert qr_code_data_uri(device).startswith("data:image/svg+xml;base64,")


def test_a_wrong_code_does_not_enrol_and_is_audited(client, reviewer, second_factor_on, no_throttle):
    client.force_login(reviewer)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=reviewer)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"

    response = client.post(ENROL, {"token": wrong})

    assert response.status_code == 200
    assert "动态口令不正确" in response.content.decode()
    assert not TOTPDevice.objects.get(user=reviewer).confirmed
    failure = AuditEntry.objects.get(event=Event.OTP_ENROL)
    assert failure.result == AuditEntry.Result.FAILURE
    assert wrong not in str(failure.additional_data)


def test_a_right_code_enrols_verifies_the_session_and_is_audited(client, reviewer, second_factor_on):
    client.force_login(reviewer)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=reviewer)

    response = client.post(ENROL, {"token": totp_code(device), "next": "/calls/"})

    assert response.url == "/calls/"
    assert TOTPDevice.objects.get(user=reviewer).confirmed
    assert client.get(DASHBOARD).status_code == 200
    entry = AuditEntry.objects.get(event=Event.OTP_ENROL)
    assert (entry.result, entry.actor) == (AuditEntry.Result.SUCCESS, reviewer)


def test_the_next_log_in_asks_for_a_code(client, reviewer, second_factor_on, no_throttle):
    device = enrol(client, reviewer)
    client.post(reverse("accounts:logout"))

    log_in(client, "county_li")
    held = client.get(DASHBOARD)
    assert held.url == f"{VERIFY}?next=%2Fdashboard%2F"
    assert client.get(ENROL).url.startswith(VERIFY)  # no second enrolment while a device exists

    wrong = client.post(VERIFY, {"token": "000000" if totp_code(device, steps_ahead=1) != "000000" else "111111"})
    assert "动态口令不正确" in wrong.content.decode()
    assert client.get(DASHBOARD).status_code == 302

    # The code of the next time step (the enrolment used the current one; a code is accepted once).
    response = client.post(VERIFY, {"token": totp_code(device, steps_ahead=1), "next": DASHBOARD})
    assert response.url == DASHBOARD
    assert client.get(DASHBOARD).status_code == 200

    results = list(AuditEntry.objects.filter(event=Event.OTP_VERIFY).order_by("id").values_list("result", flat=True))
    assert results == [AuditEntry.Result.FAILURE, AuditEntry.Result.SUCCESS]


def test_a_code_cannot_be_used_twice(client, reviewer, second_factor_on):
    device = enrol(client, reviewer)
    used = totp_code(device)
    client.post(reverse("accounts:logout"))
    log_in(client, "county_li")

    client.post(VERIFY, {"token": used})

    assert client.get(DASHBOARD).status_code == 302


def test_repeated_wrong_codes_are_throttled(client, reviewer, second_factor_on):
    device = enrol(client, reviewer)
    client.post(reverse("accounts:logout"))
    log_in(client, "county_li")
    client.post(VERIFY, {"token": "000000" if totp_code(device, steps_ahead=1) != "000000" else "111111"})

    # Right away after a wrong code, even the right one is refused (django-otp's 1, 2, 4 … second delays).
    client.post(VERIFY, {"token": totp_code(device, steps_ahead=1)})

    assert client.get(DASHBOARD).status_code == 302
    throttled = AuditEntry.objects.filter(event=Event.OTP_VERIFY).order_by("id").last()
    assert throttled.additional_data == {"throttled": True}


@pytest.mark.parametrize("fixture", ["expert", "security_admin", "system_admin", "audit_admin"])
def test_experts_and_administrators_need_it_too(client, request, fixture, second_factor_on):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(DASHBOARD).url.startswith(ENROL)


def test_applicants_do_not_need_it(client, applicant, second_factor_on):
    client.force_login(applicant)
    assert client.get(DASHBOARD).status_code == 200


def test_the_setting_off_lets_staff_in_with_the_password(client, reviewer, settings):
    settings.SHENBAO_REQUIRE_SECOND_FACTOR = False
    client.force_login(reviewer)
    assert client.get(DASHBOARD).status_code == 200


def test_the_api_answers_json_until_the_second_factor_is_given(client, expert, second_factor_on):
    client.force_login(expert)
    response = client.get("/api/scoring/assignments")
    assert response.status_code == 403
    assert "动态口令" in response.json()["detail"]


def test_an_htmx_request_is_sent_to_the_whole_page(client, reviewer, second_factor_on):
    client.force_login(reviewer)
    response = client.get(DASHBOARD, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith(ENROL)


def test_log_out_stays_possible_before_the_second_factor(client, reviewer, second_factor_on):
    client.force_login(reviewer)
    assert client.post(reverse("accounts:logout")).url == "/"


def test_the_second_factor_comes_before_an_expired_password(client, reviewer, second_factor_on):
    from datetime import timedelta

    from django.utils import timezone

    reviewer.password_changed_at = timezone.now() - timedelta(days=100)
    reviewer.save()
    client.force_login(reviewer)

    assert client.get(reverse("accounts:password_change")).url.startswith(ENROL)
    enrol(client, reviewer)
    assert client.get(DASHBOARD).url == reverse("accounts:password_change")


def test_an_unsafe_next_is_ignored(client, reviewer, second_factor_on):
    client.force_login(reviewer)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=reviewer)
    response = client.post(ENROL, {"token": totp_code(device), "next": "https://evil.example/"})
    assert response.url == DASHBOARD


# --- reset by the security administrator --------------------------------------------------------------------------


def test_the_security_admin_resets_a_device_and_the_user_must_enrol_again(
    client, reviewer, security_admin, second_factor_on
):
    enrol(client, reviewer)
    admin = Client()
    admin.force_login(security_admin)
    admin_device = enrol(admin, security_admin)
    assert admin_device.confirmed

    listing = admin.get(reverse("security:second_factor_users"), {"q": "county_li"}).content.decode()
    assert "county_li" in listing and "已绑定" in listing
    response = admin.post(reverse("security:reset_second_factor", kwargs={"public_id": reviewer.public_id}))

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=reviewer).exists()
    assert client.get(DASHBOARD).url.startswith(ENROL)
    entry = AuditEntry.objects.get(event=Event.OTP_RESET)
    assert (entry.actor, entry.object_pk) == (security_admin, str(reviewer.pk))


def test_resetting_a_user_without_a_device_says_so(client, reviewer, security_admin):
    client.force_login(security_admin)
    response = client.post(
        reverse("security:reset_second_factor", kwargs={"public_id": reviewer.public_id}), follow=True
    )
    assert "该用户尚未绑定动态口令，无需重置。" in response.content.decode()
    assert not AuditEntry.objects.filter(event=Event.OTP_RESET).exists()


@pytest.mark.parametrize("fixture", ["system_admin", "audit_admin", "reviewer", "applicant"])
def test_nobody_else_may_reset(request, fixture, expert):
    TOTPDevice.objects.create(user=expert, name="TOTP", confirmed=True)
    other = Client()
    other.force_login(request.getfixturevalue(fixture))

    assert other.get(reverse("security:second_factor_users")).status_code == 404
    response = other.post(reverse("security:reset_second_factor", kwargs={"public_id": expert.public_id}))

    assert response.status_code == 404
    assert TOTPDevice.objects.filter(user=expert).exists()


# The whole page's queries, exactly: the same with one row as with many, so a fixed extra query fails too.
SECOND_FACTOR_USERS_QUERIES = 8


def test_the_user_list_query_count_does_not_grow(client, security_admin):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import UserFactory

    client.force_login(security_admin)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("security:second_factor_users")).status_code == 200
        return len(queries)

    few = count()
    for user in UserFactory.create_batch(10, roles=["county_reviewer"]):
        TOTPDevice.objects.create(user=user, name="TOTP")
    assert (few, count()) == (SECOND_FACTOR_USERS_QUERIES, SECOND_FACTOR_USERS_QUERIES)
