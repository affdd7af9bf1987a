"""/healthz and /readyz through the whole middleware stack: JSON, never cached, no log-in, no session, no audit
entry, plain HTTP allowed, any Host, and a 503 that names the failed check and nothing else."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from shenbao.accounts.roles import Role
from shenbao.audit.models import AuditEntry
from shenbao.observability import services
from shenbao.observability.models import WorkerHeartbeat
from tests.factories import GovernmentBodyFactory, UserFactory
from tests.web import WebUser

pytestmark = pytest.mark.django_db

READY = {"status": "ok", "checks": {"database": "ok", "cache": "ok", "storage": "ok"}}


@pytest.fixture
def worker_backend(settings):
    """Tasks queued in the database, as in production: /readyz then waits for a task worker's heartbeat."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.SHENBAO_WORKER_STALE_SECONDS = 60


def beat(*, seconds_ago=0):
    heartbeat = services.record_heartbeat(
        worker_id="worker-1",
        hostname="worker.internal",
        pid=4321,
        queues="default",
        started_at=timezone.now(),
        tasks_run=0,
    )
    WorkerHeartbeat.objects.filter(pk=heartbeat.pk).update(beat_at=timezone.now() - dt.timedelta(seconds=seconds_ago))


def test_healthz_says_the_process_is_up_without_touching_anything(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies


def test_readyz_checks_the_database_cache_and_storage(client):
    audit_entries = AuditEntry.objects.count()

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == READY
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies
    assert AuditEntry.objects.count() == audit_entries


def test_probes_answer_head_and_refuse_other_methods(client):
    assert client.head("/readyz").status_code == 200
    assert client.post("/readyz").status_code == 405
    assert client.post("/healthz").status_code == 405


def test_a_signed_in_person_probing_gets_the_answer_and_keeps_the_session_as_it_was(settings, password):
    # Staff behind the second-factor gate: every page of theirs would redirect to the TOTP page first.
    settings.SHENBAO_REQUIRE_SECOND_FACTOR = True
    staff = UserFactory(organisation=GovernmentBodyFactory(), roles=[Role.COUNTY_REVIEWER])
    browser = WebUser()
    browser.log_in(staff.username, password)
    assert browser.get("/dashboard/").status_code == 302
    session = Session.objects.get()
    stored = (session.session_data, session.expire_date)

    response = browser.get("/readyz")

    assert response.status_code == 200 and response.json() == READY
    assert not response.cookies
    session.refresh_from_db()
    assert (session.session_data, session.expire_date) == stored


def test_probes_are_exempt_from_the_https_redirect_and_the_host_check(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    client = Client()

    assert client.get("/").status_code == 301  # everything else goes to HTTPS
    assert client.get("/readyz").status_code == 200
    assert client.get("/healthz").status_code == 200
    # A load balancer probing a node by its address: the answer holds no URL, so no Host is needed.
    assert client.get("/readyz", HTTP_HOST="10.20.30.40:8000").status_code == 200
    assert client.get("/accounts/login/", HTTP_HOST="10.20.30.40:8000", secure=True).status_code == 400


def test_probes_are_never_rate_limited(client):
    assert {client.get("/readyz").status_code for _ in range(40)} == {200}


def test_a_broken_cache_is_named_and_nothing_more(client, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "cache": "failed", "storage": "ok"},
    }
    assert response["Cache-Control"] == "no-store"
    assert b"127.0.0.1" not in response.content and b"refused" not in response.content.lower()


def test_a_storage_that_cannot_be_written_is_named(client, settings, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the media folder should be")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": blocked}},
    }

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "storage": "failed"}


def test_the_storage_probe_leaves_no_file_behind(client, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }

    assert client.get("/readyz").status_code == 200
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == []


def test_with_tasks_in_the_database_readyz_waits_for_a_worker_heartbeat(client, worker_backend):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["task_worker"] == "failed"

    beat(seconds_ago=5)
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {**READY["checks"], "task_worker": "ok"}}


def test_a_stale_heartbeat_fails_readyz(client, worker_backend, settings):
    settings.SHENBAO_WORKER_STALE_SECONDS = 30
    beat(seconds_ago=31)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"] == {**READY["checks"], "task_worker": "failed"}
