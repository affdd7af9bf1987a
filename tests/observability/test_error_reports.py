"""Unhandled errors are mailed to ADMINS and, with SENTRY_DSN, reported to a Sentry-compatible service tagged
with the request id and without personal data (a fake service on this machine receives the envelope)."""

import gzip
import json
import os
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.test import Client

from tests.dbtemplate import sqlite_template

from . import servers
from .error_urls import ID_NUMBER, MOBILE


@pytest.mark.django_db
def test_an_unhandled_error_is_mailed_to_the_admins(settings):
    settings.ADMINS = ["ops@example.cn"]
    settings.ROOT_URLCONF = "tests.observability.error_urls"

    response = Client(raise_request_exception=False).get("/boom/")

    assert response.status_code == 500
    (message,) = mail.outbox
    assert message.to == ["ops@example.cn"]
    assert "Internal Server Error: /boom/" in message.subject
    assert "RuntimeError" in message.body


class FakeSentry(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":  # what sentry-sdk sends when the Brotli module is installed (WeasyPrint brings it)
            import brotli

            body = brotli.decompress(body)
        self.received.append((self.path, body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"id": "0"}')

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_sentry():
    FakeSentry.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeSentry)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


FAIL_ONCE = f"""
import sentry_sdk
from django.test import Client, override_settings
with override_settings(ROOT_URLCONF="tests.observability.error_urls"):
    response = Client(raise_request_exception=False, HTTP_HOST="localhost").post(
        "/boom/?phone={MOBILE}", {{"id_number": "{ID_NUMBER}", "phone": "{MOBILE}"}}
    )
sentry_sdk.flush(timeout=10)
print(response.status_code, response["X-Request-ID"])
"""


def events(received):
    found = []
    for _path, body in received:
        lines = body.split(b"\n")
        for header, payload in zip(lines[1::2], lines[2::2], strict=False):
            if json.loads(header).get("type") == "event":
                found.append(json.loads(payload))
    return found


def test_an_error_reaches_the_sentry_dsn_tagged_and_without_personal_data(fake_sentry, tmp_path):
    database = tmp_path / "sentry.sqlite3"
    shutil.copyfile(sqlite_template(), database)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "SENTRY_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="shenbao.settings.test",
        DATABASE_URL=f"sqlite:///{database}",
        SENTRY_DSN=f"http://publickey@127.0.0.1:{fake_sentry.server_port}/1",
        SENTRY_ENVIRONMENT="test",
    )

    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", FAIL_ONCE],
        cwd=servers.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    status, request_id = result.stdout.split()[-2:]
    assert status == "500"
    servers.wait_until(lambda: events(FakeSentry.received), timeout=10, what="the event")
    everything = b"".join(body for _path, body in FakeSentry.received).decode()
    assert ID_NUMBER not in everything and MOBILE not in everything
    (event, *_same) = events(FakeSentry.received)
    assert event["tags"]["request_id"] == request_id
    assert event["environment"] == "test"
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert "[已隐去]" in event["exception"]["values"][-1]["value"]
    assert "data" not in event["request"] and "cookies" not in event["request"]
    assert "user" not in event
