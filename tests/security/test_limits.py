"""Limits that hold across workers (issue 11, points 4 and 5): one shared counter store, log-in attempts counted
before the password is hashed, and a few generated documents at a time per person."""

import threading

import pytest
from django.db import connection, connections

from shenbao.accounts.roles import Role
from shenbao.audit.models import AuditEntry
from shenbao.core import ratelimit
from shenbao.core.models import RateLimitCounter
from tests.web import WebUser

LIMIT = ratelimit.Limit(attempts=3, window=60)


@pytest.mark.django_db
def test_a_fixed_window_allows_exactly_the_limit_and_lives_in_the_shared_store():
    assert [ratelimit.allow(scope="t", ident="a", limit=LIMIT, now=120.0) for _ in range(5)] == [
        True,
        True,
        True,
        False,
        False,
    ]
    assert ratelimit.allow(scope="t", ident="b", limit=LIMIT, now=120.0)  # another address: its own count
    assert ratelimit.allow(scope="t", ident="a", limit=LIMIT, now=180.0)  # the next window starts afresh
    # In the database, where every worker and node counts (not in one process's memory).
    assert RateLimitCounter.objects.get(key="t:a", window_start=120).count == 5


@pytest.mark.django_db
def test_a_slot_is_given_back_when_the_work_is_done():
    one = ratelimit.Limit(attempts=1, window=120)
    with (
        ratelimit.Slot(scope="s", ident="u", limit=one) as first,
        ratelimit.Slot(scope="s", ident="u", limit=one) as second,
    ):
        assert (first, second) == (True, False)
    with ratelimit.Slot(scope="s", ident="u", limit=one) as again:
        assert again


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: connections in threads")
@pytest.mark.django_db(transaction=True)
def test_concurrent_hits_from_separate_connections_are_counted_together():
    # Twenty requests at once, each on its own database connection (as separate workers would be): exactly the
    # limit gets through.
    results, barrier = [], threading.Barrier(20)

    def worker():
        try:
            barrier.wait(timeout=30)
            results.append(ratelimit.allow(scope="race", ident="x", limit=ratelimit.Limit(7, 3600), now=0.0))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(True) == 7 and len(results) == 20


@pytest.mark.django_db
def test_log_in_attempts_are_limited_per_address_before_any_password_is_checked(settings, reviewer, password):
    settings.SHENBAO_LOGIN_ADDRESS_LIMIT = {"attempts": 5, "window": 60}
    web = WebUser(remote_addr="198.51.100.20")
    for number in range(5):
        token = web.csrf_token("/accounts/login/")
        page = web.client.post(
            "/accounts/login/", {"username": f"nobody{number}", "password": "x", "csrfmiddlewaretoken": token}
        )
        assert "登录尝试过于频繁" not in page.content.decode()
    token = web.csrf_token("/accounts/login/")
    page = web.client.post(
        "/accounts/login/", {"username": reviewer.username, "password": password, "csrfmiddlewaretoken": token}
    )
    assert page.status_code == 200 and "登录尝试过于频繁" in page.content.decode()
    # Five failed checks were made (and audited); the sixth attempt never reached the password check.
    assert AuditEntry.objects.filter(event="login_failed").count() == 5
    assert not AuditEntry.objects.filter(event="login", actor=reviewer).exists()
    # Another address is not affected.
    WebUser(remote_addr="198.51.100.21").log_in(reviewer.username, password)


@pytest.mark.django_db
def test_log_in_attempts_are_limited_per_user_name(settings, reviewer, password):
    settings.SHENBAO_LOGIN_USER_LIMIT = {"attempts": 3, "window": 60}
    for number in range(3):
        WebUser(remote_addr=f"198.51.100.{30 + number}").log_in(reviewer.username, password)
    web = WebUser(remote_addr="198.51.100.40")
    token = web.csrf_token("/accounts/login/")
    page = web.client.post(
        "/accounts/login/", {"username": reviewer.username, "password": password, "csrfmiddlewaretoken": token}
    )
    assert "登录尝试过于频繁" in page.content.decode()


@pytest.fixture
def pool_admin(reference, staff_of):
    """The 技能办's call administrator, whose expert-pool workbook template is a generated file."""
    return staff_of("晋城市人力资源和社会保障局技能办", Role.CALL_ADMIN)


@pytest.mark.django_db
def test_generated_files_are_limited_per_person_with_429_and_retry_after(settings, pool_admin, password):
    settings.SHENBAO_EXPENSIVE_LIMITS = {"per_minute": 3, "concurrent": 2}
    web = WebUser()
    web.log_in(pool_admin.username, password)
    statuses = [web.get("/experts/pool/import/template.xlsx").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = web.get("/experts/pool/import/template.xlsx")
    assert refused["Retry-After"] == "30"
    assert "您同时生成的文件过多或过于频繁" in refused.content.decode()
    assert web.get("/experts/pool/").status_code == 200  # ordinary pages are not limited


@pytest.mark.django_db
def test_a_person_may_not_hold_more_than_the_concurrent_slots(settings, pool_admin, password):
    settings.SHENBAO_EXPENSIVE_LIMITS = {"per_minute": 30, "concurrent": 1}
    web = WebUser()
    web.log_in(pool_admin.username, password)
    # One rendering still in progress (its slot taken), as another worker would hold it: the next one waits.
    with ratelimit.Slot(scope="expensive-running", ident=f"user:{pool_admin.pk}", limit=ratelimit.Limit(1, 120)):
        assert web.get("/experts/pool/import/template.xlsx").status_code == 429
    assert web.get("/experts/pool/import/template.xlsx").status_code == 200
