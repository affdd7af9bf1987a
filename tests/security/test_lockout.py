"""Lock-out after 5 failed log-ins for 15 minutes (django-axes), unlocking by the security administrator only."""

import base64
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shenbao.audit.events import Event
from shenbao.audit.models import AuditEntry
from tests.security.helpers import PASSWORD, log_in

pytestmark = pytest.mark.django_db

WRONG = "Wrong#guess2022"


def fail(client, username, times):
    for _ in range(times):
        log_in(client, username, WRONG)


def signed_in(client):
    return SESSION_KEY in client.session


def test_four_failures_do_not_lock(client, reviewer):
    fail(client, "county_li", 4)

    response = log_in(client, "county_li")

    assert response.status_code == 302
    assert signed_in(client)


def test_five_failures_lock_even_the_right_password_with_a_chinese_page(client, reviewer):
    fail(client, "county_li", 5)

    response = log_in(client, "county_li")

    assert response.status_code == 429
    html = response.content.decode()
    assert "账户已锁定" in html
    assert "该用户名连续 5 次登录失败，已被锁定 15 分钟。" in html
    assert not signed_in(client)


def test_the_fifth_failure_itself_answers_with_the_lockout_page(client, reviewer):
    fail(client, "county_li", 4)
    response = log_in(client, "county_li", WRONG)
    assert response.status_code == 429


def test_a_success_clears_the_count(client, reviewer):
    fail(client, "county_li", 4)
    log_in(client, "county_li")
    client.post(reverse("accounts:logout"))
    fail(client, "county_li", 4)

    assert log_in(client, "county_li").status_code == 302


def test_the_lock_is_per_user_name_not_per_address(client, reviewer, applicant):
    fail(client, "county_li", 5)

    assert log_in(client, "unit_wang", REMOTE_ADDR="127.0.0.1").status_code == 302


def test_a_lock_holds_for_15_minutes_from_the_fifth_failure(client, reviewer):
    fail(client, "county_li", 5)

    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=14))
    assert log_in(client, "county_li").status_code == 429

    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=1, seconds=1)
    )
    assert log_in(client, "county_li").status_code == 302


def test_attempts_during_the_lock_do_not_extend_it(client, reviewer):
    fail(client, "county_li", 5)
    first = AccessAttempt.objects.get()

    fail(client, "county_li", 3)

    again = AccessAttempt.objects.get()
    assert (again.failures_since_start, again.attempt_time) == (5, first.attempt_time)


def test_unknown_user_names_lock_too_so_names_cannot_be_probed(client):
    fail(client, "nobody_here", 5)
    assert log_in(client, "nobody_here").status_code == 429


def test_the_lockout_is_audited_once_with_the_failures(client, reviewer):
    fail(client, "county_li", 5)
    fail(client, "county_li", 2)  # refused while locked

    lockout = AuditEntry.objects.get(event=Event.LOCKOUT)
    assert lockout.result == AuditEntry.Result.FAILURE
    assert lockout.object_pk == str(reviewer.pk)
    assert lockout.additional_data == {"username": "county_li", "failures": 5, "locked_minutes": 15}
    assert lockout.remote_addr == "127.0.0.1"
    # Every attempt, refused ones included, stays in the trail as a failed log-in.
    assert AuditEntry.objects.filter(event=Event.LOGIN_FAILED).count() == 7


# --- the security administrator's page ----------------------------------------------------------------------------


def test_the_security_admin_sees_the_lockout_and_unlocks_it(client, reviewer, security_admin):
    fail(client, "county_li", 5)
    admin = client.__class__()
    admin.force_login(security_admin)

    page = admin.get(reverse("security:lockouts"))
    assert page.status_code == 200
    assert "county_li" in page.content.decode()

    response = admin.post(reverse("security:unlock"), {"username": "county_li"}, REMOTE_ADDR="198.51.100.30")
    assert response.status_code == 302
    assert "已解除用户名「county_li」的登录锁定。" in admin.get(response.url).content.decode()
    assert log_in(client, "county_li").status_code == 302

    entry = AuditEntry.objects.get(event=Event.UNLOCK)
    assert (entry.actor, entry.object_pk, entry.remote_addr) == (security_admin, str(reviewer.pk), "198.51.100.30")
    assert entry.additional_data["username"] == "county_li"


def test_unlocking_a_name_that_is_not_locked_says_so(client, security_admin):
    client.force_login(security_admin)
    response = client.post(reverse("security:unlock"), {"username": "county_li"}, follow=True)
    assert "用户名「county_li」当前未被锁定。" in response.content.decode()
    assert not AuditEntry.objects.filter(event=Event.UNLOCK).exists()


@pytest.mark.parametrize("fixture", ["system_admin", "audit_admin", "reviewer", "applicant"])
def test_nobody_else_may_unlock(client, request, fixture, expert):
    fail(client, "expert_zhao", 5)
    other = client.__class__()
    other.force_login(request.getfixturevalue(fixture))

    assert other.get(reverse("security:lockouts")).status_code == 404
    assert other.post(reverse("security:unlock"), {"username": "expert_zhao"}).status_code == 404

    assert log_in(client, "expert_zhao").status_code == 429
    assert not AuditEntry.objects.filter(event=Event.UNLOCK).exists()


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.post(reverse("security:unlock"), {"username": "x"})
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


# The whole page's queries, exactly: the same with one row as with many, so a fixed extra query fails too.
LOCKOUTS_QUERIES = 6


def test_the_lockout_list_query_count_does_not_grow(client, security_admin):
    client.force_login(security_admin)
    fail(client.__class__(), "name_1", 5)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("security:lockouts")).status_code == 200
        return len(queries)

    few = count()
    for n in range(2, 12):
        fail(client.__class__(), f"name_{n}", 5)
    assert (few, count()) == (LOCKOUTS_QUERIES, LOCKOUTS_QUERIES)


# --- the API authenticates through the same log-in ----------------------------------------------------------------


def test_the_api_takes_no_password_so_every_api_session_passed_the_guarded_log_in(client, expert):
    credentials = base64.b64encode(f"expert_zhao:{PASSWORD}".encode()).decode()

    response = client.get("/api/scoring/assignments", HTTP_AUTHORIZATION=f"Basic {credentials}")

    assert response.status_code == 401
    assert not AccessAttempt.objects.exists()


def test_a_locked_out_expert_cannot_open_an_api_session(client, expert):
    fail(client, "expert_zhao", 5)

    assert log_in(client, "expert_zhao").status_code == 429
    assert client.get("/api/scoring/assignments").status_code == 401
