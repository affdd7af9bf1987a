"""Acceptance (issue 16): /readyz answers 503 when the database is stopped and 200 again when it is back.

A throwaway PostgreSQL 15 cluster in a temporary folder on a free port (initdb and pg_ctl refuse to run as root:
as root they run as the `postgres` user), migrated, served by gunicorn with the production profile and worked by
`manage.py task_worker`, as a deployment runs them.
"""

import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import pytest

from tests.test_deploy import production_env

from . import servers

BIN = Path("/usr/lib/postgresql/15/bin")
HOST = "shenbao.example.gov.cn"


def as_postgres(args):
    if os.geteuid() != 0:
        return list(args)
    return ["runuser", "-u", "postgres", "--", *args]


class Cluster:
    def __init__(self, folder: Path, port: int):
        self.folder, self.port, self.data = folder, port, folder / "data"

    def run(self, *args):
        return subprocess.run(as_postgres(args), capture_output=True, text=True, timeout=120)

    def init(self):
        return self.run(str(BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8")

    def start(self):
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c fsync=off"
        result = self.run(
            str(BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "log"), "-o", options, "-w", "start"
        )
        assert result.returncode == 0, result.stdout + result.stderr

    def stop(self):
        return self.run(str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")


@pytest.fixture
def cluster():
    if not (BIN / "initdb").exists() or (os.geteuid() == 0 and not shutil.which("runuser")):
        pytest.skip(f"PostgreSQL 15's initdb/pg_ctl (in {BIN}) or runuser is not installed")
    folder = Path(tempfile.mkdtemp(prefix="shenbao-readyz-"))
    if os.geteuid() == 0:
        postgres = pwd.getpwnam("postgres")
        os.chown(folder, postgres.pw_uid, postgres.pw_gid)
    cluster = Cluster(folder, servers.free_port())
    result = cluster.init()
    if result.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"initdb cannot run here: {result.stderr.strip()[:300]}")
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


def readiness(port):
    return servers.fetch(f"http://127.0.0.1:{port}/readyz", host=HOST)


def test_readyz_follows_the_database_down_and_back(cluster, tmp_path):
    with psycopg.connect(host="127.0.0.1", port=cluster.port, user="postgres", autocommit=True) as connection:
        connection.execute("CREATE DATABASE shenbao ENCODING 'UTF8' TEMPLATE template0")
    env = production_env(
        DJANGO_SETTINGS_MODULE=None,
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{cluster.port}/shenbao",
        DATABASE_CONNECT_TIMEOUT="2",
        MEDIA_ROOT=str(tmp_path / "media"),
        REDIS_URL=None,
        SHENBAO_WORKER_HEARTBEAT_SECONDS="1",
    )
    migrated = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=servers.ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "shenbao.settings.production"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert migrated.returncode == 0, migrated.stderr
    port = servers.free_port()
    web = servers.gunicorn(port=port, env=env, output=tmp_path / "gunicorn.log")
    worker_env = {**env, "DJANGO_SETTINGS_MODULE": "shenbao.settings.production"}
    worker = servers.task_worker(env=worker_env, output=tmp_path / "worker.log")
    try:
        status, _headers, body = servers.wait_until(
            lambda: (answer := readiness(port))[0] == 200 and answer, timeout=90, what="/readyz to answer 200"
        )
        assert body == {
            "status": "ok",
            "checks": {"database": "ok", "cache": "ok", "storage": "ok", "task_worker": "ok"},
        }

        assert cluster.stop().returncode == 0
        started = time.monotonic()
        status, headers, body = readiness(port)
        elapsed = time.monotonic() - started
        assert status == 503, body
        assert body == {
            "status": "unavailable",
            "checks": {"database": "failed", "cache": "ok", "storage": "ok", "task_worker": "failed"},
        }
        assert headers["Cache-Control"] == "no-store"
        assert elapsed < 5, f"/readyz took {elapsed:.1f} s with the database down"
        assert servers.fetch(f"http://127.0.0.1:{port}/healthz", host=HOST)[0] == 200  # the process is still up

        cluster.start()
        if worker.poll() is not None:
            # django-tasks-db's worker exits when its database goes away; the service manager starts it again.
            worker = servers.task_worker(env=worker_env, output=tmp_path / "worker.log")
        status, _headers, body = servers.wait_until(
            lambda: (answer := readiness(port))[0] == 200 and answer, timeout=60, what="/readyz to answer 200 again"
        )
        assert body["checks"] == {"database": "ok", "cache": "ok", "storage": "ok", "task_worker": "ok"}
    finally:
        servers.stop(worker)
        servers.stop(web)
