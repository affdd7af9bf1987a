"""gunicorn's master and worker, error and access lines: one JSON object per line, every time in the platform's
zone (+08:00), the access line with the request id its response carried."""

import json
import runpy
import shutil

from tests.dbtemplate import sqlite_template
from tests.test_deploy import production_env

from . import servers


def test_every_gunicorn_line_is_json_in_one_time_zone(tmp_path):
    database = tmp_path / "web.sqlite3"
    shutil.copyfile(sqlite_template(), database)
    port = servers.free_port()
    output = tmp_path / "gunicorn.log"
    env = production_env(
        DJANGO_SETTINGS_MODULE=None,
        DATABASE_URL=f"sqlite:///{database}",
        MEDIA_ROOT=str(tmp_path / "media"),
        REDIS_URL=None,
        TZ="UTC",  # the machine's own zone must not show through
    )
    server = servers.gunicorn(port=port, env=env, output=output)
    try:
        status, headers, body = servers.wait_until(
            lambda: servers.fetch(f"http://127.0.0.1:{port}/healthz", host="shenbao.example.gov.cn"),
            timeout=60,
            what="gunicorn to answer",
        )
        request_id = headers["X-Request-ID"]
        servers.wait_until(lambda: request_id in output.read_text(), timeout=10, what="the access line")
    finally:
        servers.stop(server)

    assert (status, body) == (200, {"status": "ok"})
    lines = [json.loads(line) for line in output.read_text().splitlines() if line.strip()]
    assert all(line["time"].endswith("+08:00") for line in lines), lines
    assert {line["logger"] for line in lines} >= {"gunicorn.error", "gunicorn.access"}
    pids = {line["pid"] for line in lines if line["logger"] == "gunicorn.error"}
    assert server.pid in pids and len(pids) >= 2  # the master and its worker
    (access,) = [line for line in lines if line["logger"] == "gunicorn.access"]
    assert {key: access[key] for key in ("request_id", "method", "path", "status")} == {
        "request_id": request_id,
        "method": "GET",
        "path": "/healthz",
        "status": "200",
    }
    assert isinstance(access["duration_us"], int)


def test_gunicorn_log_files_keep_the_json_shape(monkeypatch, tmp_path):
    monkeypatch.setenv("GUNICORN_ACCESS_LOG", str(tmp_path / "access.log"))
    monkeypatch.delenv("GUNICORN_ERROR_LOG", raising=False)
    monkeypatch.delenv("SHENBAO_LOG_FORMAT", raising=False)

    handlers = runpy.run_path(str(servers.ROOT / "gunicorn.conf.py"))["logconfig_dict"]["handlers"]

    assert handlers["access"] == {
        "class": "logging.handlers.WatchedFileHandler",
        "formatter": "default",
        "filename": str(tmp_path / "access.log"),
    }
    assert handlers["error"]["stream"] == "ext://sys.stderr"
