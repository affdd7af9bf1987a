"""`manage.py task_worker` runs queued tasks like django-tasks-db's db_worker and records a heartbeat /readyz reads.

The worker runs in a subprocess against a migrated SQLite file of its own (a copy of the run's template), with
tasks queued in the database as in production (tests/observability/worker_settings.py).
"""

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.dbtemplate import sqlite_template

from . import servers

SETTINGS = "tests.observability.worker_settings"


@pytest.fixture
def database(tmp_path):
    path = tmp_path / "worker.sqlite3"
    shutil.copyfile(sqlite_template(), path)
    return path


def worker_env(database, **overrides):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "SHENBAO_WORKER"))}
    env.update(DATABASE_URL=f"sqlite:///{database}", DJANGO_SETTINGS_MODULE=SETTINGS, **overrides)
    return env


def manage_shell(code, *, env):
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=servers.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def task_status(database, task_id):
    # SQLite stores a UUID as 32 hex digits.
    rows = query(
        database, "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = ?", task_id.replace("-", "")
    )
    return rows[0][0] if rows else None


def query(database, sql, *params):
    with sqlite3.connect(database, timeout=10) as db:
        return db.execute(sql, params).fetchall()


def heartbeats(database):
    return query(database, "SELECT worker_id, beat_at, tasks_run FROM observability_workerheartbeat")


def readiness(env):
    code = "from django.test import Client; print(Client().get('/readyz').content.decode())"
    return manage_shell(code, env=env)


ENQUEUE = "from tests.observability.tasks import note_run; print(note_run.enqueue(marker='{marker}').id)"


def test_the_worker_runs_a_queued_task_and_its_heartbeat_advances(database, tmp_path):
    env = worker_env(database)
    worker = servers.task_worker(env=env, output=tmp_path / "worker.log", extra=["--worker-id", "worker-a"])
    try:
        first = servers.wait_until(lambda: heartbeats(database), timeout=60, what="the first heartbeat")
        assert [(worker_id, tasks) for worker_id, _beat, tasks in first] == [("worker-a", 0)]

        task_id = manage_shell(ENQUEUE.format(marker="m1"), env=env)
        servers.wait_until(
            lambda: task_status(database, task_id) == "SUCCESSFUL",
            timeout=30,
            what="the task to run",
        )
        later = servers.wait_until(
            lambda: [row for row in heartbeats(database) if row[1] > first[0][1] and row[2] == 1],
            timeout=10,
            what="a later heartbeat counting the task",
        )
        assert later[0][0] == "worker-a"
        # The task's audit entry carries the task as its correlation id (the hash chain covers it).
        task_cids = query(database, "SELECT cid FROM audit_auditentry WHERE additional_data LIKE '%m1%'")
        assert task_cids == [(f"task-{task_id}",)]
        assert '"task_worker": "ok"' in readiness(env)
    finally:
        servers.stop(worker)
    assert worker.returncode == 0, (tmp_path / "worker.log").read_text()

    # The worker is gone: its last beat goes stale and /readyz says so, naming only the check.
    time.sleep(1.2)
    answer = json.loads(readiness(worker_env(database, SHENBAO_WORKER_STALE_SECONDS="1")))
    assert answer == {
        "status": "unavailable",
        "checks": {"database": "ok", "cache": "ok", "storage": "ok", "task_worker": "failed"},
    }


def test_the_worker_takes_db_workers_options(database, tmp_path):
    env = worker_env(database)
    task_id = manage_shell(ENQUEUE.format(marker="batch"), env=env)

    result = subprocess.run(
        [sys.executable, "manage.py", "task_worker", "--batch", "--no-startup-delay", "--queue-name", "default"],
        cwd=servers.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert task_status(database, task_id) == "SUCCESSFUL"
    ((_worker, beat_at, tasks_run),) = heartbeats(database)
    assert tasks_run in (0, 1)  # the last beat may come before or after the one task
    # Stored in UTC without an offset (SQLite).
    assert dt.datetime.fromisoformat(beat_at).replace(tzinfo=dt.UTC) > dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)

    refused = subprocess.run(
        [sys.executable, "manage.py", "task_worker", "--batch", "--exclude-queues", "other"],
        cwd=servers.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode != 0
    assert "--exclude-queues can only be used with --queue-name=*" in refused.stderr
