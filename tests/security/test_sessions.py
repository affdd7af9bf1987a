"""Idle timeout (30 minutes, on the server) and the security administrator's session list with termination."""

import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shenbao.audit.events import Event
from shenbao.audit.models import AuditEntry
from shenbao.security import sessions as sessions_module
from shenbao.security.models import UserSession
from shenbao.security.sessions import ACTIVITY_RESOLUTION, LAST_ACTIVITY
from tests.factories import UserFactory
from tests.security.helpers import PASSWORD, log_in

pytestmark = pytest.mark.django_db

DASHBOARD = "/dashboard/"


def idle(client, minutes):
    session = client.session
    session[LAST_ACTIVITY] = int(time.time()) - minutes * 60
    session.save()


def test_29_minutes_idle_keeps_the_session(client, reviewer):
    client.force_login(reviewer)
    idle(client, 29)

    assert client.get(DASHBOARD).status_code == 200
    assert not AuditEntry.objects.filter(event=Event.SESSION_TIMEOUT).exists()


def test_31_minutes_idle_ends_the_session_with_a_chinese_message_on_the_log_in_page(client, reviewer):
    client.force_login(reviewer)
    idle(client, 31)

    response = client.get(DASHBOARD)

    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={DASHBOARD}"
    assert SESSION_KEY not in client.session
    page = client.get(response.url).content.decode()
    assert "您已超过 30 分钟未操作，为保护账户安全，系统已自动退出。请重新登录。" in page
    # The old page is not reachable any more.
    assert client.get(DASHBOARD).url.startswith(reverse("accounts:login"))


def test_activity_moves_the_deadline(client, reviewer):
    client.force_login(reviewer)
    idle(client, 29)
    client.get(DASHBOARD)

    assert int(time.time()) - client.session[LAST_ACTIVITY] < 5


def test_a_page_within_a_minute_of_the_recorded_activity_writes_nothing(client, reviewer):
    client.force_login(reviewer)
    client.get(DASHBOARD)
    recorded = client.session[LAST_ACTIVITY]

    with CaptureQueriesContext(connection) as queries:
        assert client.get(DASHBOARD).status_code == 200

    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))]
    assert writes == []
    assert client.session[LAST_ACTIVITY] == recorded


def test_activity_is_recorded_again_once_the_recorded_minute_has_passed(client, reviewer, monkeypatch):
    # The session module's clock is held still, so the boundary is exact however long the page takes on a busy
    # machine (at 59 s a slow page used to cross into the 60th second and be rewritten).
    now = int(time.time())
    monkeypatch.setattr(sessions_module, "time", SimpleNamespace(time=lambda: now))
    client.force_login(reviewer)
    for seconds_ago, rewritten in ((ACTIVITY_RESOLUTION - 1, False), (ACTIVITY_RESOLUTION, True)):
        session = client.session
        session[LAST_ACTIVITY] = then = now - seconds_ago
        session.save()
        stored_expiry = Session.objects.get(session_key=session.session_key).expire_date

        client.get(DASHBOARD)

        assert (client.session[LAST_ACTIVITY] != then) is rewritten
        # Recording the activity renews the store's expiry too (what SESSION_SAVE_EVERY_REQUEST did on every page).
        assert (Session.objects.get(session_key=session.session_key).expire_date > stored_expiry) is rewritten


def test_the_timeout_is_audited_and_closes_the_tracked_session(client, reviewer):
    client.force_login(reviewer)
    idle(client, 31)

    client.get(DASHBOARD, REMOTE_ADDR="198.51.100.40")

    entry = AuditEntry.objects.get(event=Event.SESSION_TIMEOUT)
    assert (entry.actor, entry.object_pk, entry.remote_addr) == (reviewer, str(reviewer.pk), "198.51.100.40")
    tracked = UserSession.objects.get(user=reviewer)
    assert tracked.end_reason == UserSession.EndReason.IDLE and tracked.ended_at is not None


def test_the_timeout_is_a_setting(client, reviewer, settings):
    settings.SHENBAO_SESSION_IDLE_TIMEOUT = 10 * 60
    client.force_login(reviewer)
    idle(client, 11)
    assert client.get(DASHBOARD).status_code == 302


def test_an_htmx_request_after_the_timeout_navigates_the_whole_page(client, reviewer):
    client.force_login(reviewer)
    idle(client, 31)

    response = client.get(DASHBOARD, HTTP_HX_REQUEST="true")

    assert response["HX-Redirect"].startswith(reverse("accounts:login"))


def test_an_api_call_after_the_timeout_answers_401_json(client, expert):
    client.force_login(expert)
    idle(client, 31)

    response = client.get("/api/scoring/assignments")

    assert response.status_code == 401
    assert "自动退出" in response.json()["detail"]


# --- tracking -----------------------------------------------------------------------------------------------------


def test_a_log_in_is_tracked_and_a_log_out_closes_it(client, reviewer):
    log_in(client, "county_li", HTTP_USER_AGENT="Mozilla/5.0 测试浏览器", REMOTE_ADDR="198.51.100.41")
    tracked = UserSession.objects.get(user=reviewer)
    assert tracked.session_key == client.session.session_key
    assert (tracked.remote_addr, tracked.user_agent) == ("198.51.100.41", "Mozilla/5.0 测试浏览器")

    client.post(reverse("accounts:logout"))

    tracked.refresh_from_db()
    assert tracked.end_reason == UserSession.EndReason.LOGOUT


def test_a_password_change_keeps_the_session_tracked(client, reviewer):
    log_in(client, "county_li")
    client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Another#pass2024", "new_password2": "Another#pass2024"},
    )
    client.get(DASHBOARD)

    assert UserSession.objects.get(user=reviewer).session_key == client.session.session_key


# --- the security administrator's page ----------------------------------------------------------------------------


@pytest.fixture
def admin(security_admin):
    client = Client()
    client.force_login(security_admin)
    return client


def test_the_list_shows_open_sessions_only(admin, reviewer, applicant):
    signed_in = Client()
    signed_in.force_login(reviewer)
    logged_out = Client()
    logged_out.force_login(applicant)
    logged_out.post(reverse("accounts:logout"))
    idle_one = Client()
    idle_one.force_login(UserFactory(username="idle_user"))
    # Its last request 31 minutes ago: the store set the expiry then.
    Session.objects.filter(session_key=idle_one.session.session_key).update(
        expire_date=timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE) - timedelta(minutes=31)
    )

    html = admin.get(reverse("security:sessions")).content.decode()

    assert "county_li" in html
    assert "unit_wang" not in html
    assert "idle_user" not in html
    assert "当前会话" in html  # the administrator's own, which it cannot terminate from here


def test_terminating_a_session_signs_the_user_out_and_is_audited(admin, reviewer, security_admin):
    victim = Client()
    log_in(victim, "county_li")
    tracked = UserSession.objects.get(user=reviewer)

    response = admin.post(reverse("security:terminate_session", kwargs={"public_id": tracked.public_id}))

    assert response.status_code == 302
    assert victim.get(DASHBOARD).url.startswith(reverse("accounts:login"))
    tracked.refresh_from_db()
    assert (tracked.end_reason, tracked.ended_by) == (UserSession.EndReason.TERMINATED, security_admin)
    entry = AuditEntry.objects.get(event=Event.SESSION_TERMINATE)
    assert (entry.actor, entry.object_pk) == (security_admin, str(reviewer.pk))
    assert tracked.session_key not in str(entry.additional_data)
    # Terminating again: the session is gone, so 404.
    again = admin.post(reverse("security:terminate_session", kwargs={"public_id": tracked.public_id}))
    assert again.status_code == 404


def test_termination_after_a_password_change_still_reaches_the_session(admin, reviewer):
    victim = Client()
    log_in(victim, "county_li")
    victim.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Another#pass2024", "new_password2": "Another#pass2024"},
    )
    tracked = UserSession.objects.get(user=reviewer)

    admin.post(reverse("security:terminate_session", kwargs={"public_id": tracked.public_id}))

    assert victim.get(DASHBOARD).url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("fixture", ["system_admin", "audit_admin", "reviewer"])
def test_nobody_else_sees_or_ends_sessions(request, fixture, applicant):
    victim = Client()
    victim.force_login(applicant)
    tracked = UserSession.objects.get(user=applicant)
    other = Client()
    other.force_login(request.getfixturevalue(fixture))

    assert other.get(reverse("security:sessions")).status_code == 404
    assert other.post(reverse("security:terminate_session", kwargs={"public_id": tracked.public_id})).status_code == 404
    assert victim.get(DASHBOARD).status_code == 200


# The whole page's queries, exactly: the same with one row as with many, so a fixed extra query fails too.
SESSIONS_QUERIES = 7


def test_the_session_list_query_count_does_not_grow(admin):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert admin.get(reverse("security:sessions")).status_code == 200
        return len(queries)

    Client().force_login(UserFactory())
    few = count()
    for _ in range(10):
        Client().force_login(UserFactory())
    assert (few, count()) == (SESSIONS_QUERIES, SESSIONS_QUERIES)
