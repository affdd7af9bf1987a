"""Hardening (等保2.0 level 3, issue 7 item 8): security headers, HTTPS-only cookies, CSRF everywhere, error pages
that reveal nothing internal. `check --deploy` itself is tests/test_deploy.py.
"""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from shenbao.audit.models import AuditEntry
from shenbao.audit.services import record_event
from tests.factories import UserFactory
from tests.test_deploy import manage, production_env

from .error_urls import SECRET

TEMPLATES = sorted((Path(settings.BASE_DIR) / "shenbao").glob("**/templates/**/*.html"))
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.DOTALL | re.IGNORECASE)
POST_METHOD = re.compile(r"""\bmethod\s*=\s*["']?post\b""", re.IGNORECASE)
HTMX_WRITE = re.compile(r"\bhx-(post|put|patch|delete)\s*=", re.IGNORECASE)
# Signs of a debug page or a leaked internal: a traceback, settings, SQL, file paths of the code.
INTERNALS = (
    "Traceback",
    "SECRET_KEY",
    "DATABASES",
    "settings.py",
    "site-packages",
    "/shenbao/",
    "SELECT ",
    "Exception",
)

pytestmark = pytest.mark.django_db


# --- CSRF ---------------------------------------------------------------------------------------------------------


def csrf_problems(text):
    problems = []
    for match in FORM.finditer(text):
        if POST_METHOD.search(match.group(1)) and "{% csrf_token %}" not in match.group(2):
            problems.append(f"POST form without {{% csrf_token %}}: <form{match.group(1)[:60]}>")
    return problems


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: str(path.relative_to(settings.BASE_DIR)))
def test_every_post_form_carries_the_csrf_token(path):
    assert csrf_problems(path.read_text(encoding="utf-8")) == []


def test_the_scan_notices_a_form_without_the_token():
    assert csrf_problems('<form method="post" action="/x/"><button>提交</button></form>')
    assert csrf_problems("<FORM METHOD=POST>\n<input>\n</FORM>")
    assert not csrf_problems('<form method="get"><input></form>')
    assert not csrf_problems('<form method="post">{% csrf_token %}</form>')


def test_htmx_requests_send_the_token_from_the_layout():
    base = (Path(settings.BASE_DIR) / "shenbao" / "templates" / "base.html").read_text(encoding="utf-8")
    assert """hx-headers='{"X-CSRFToken": "{{ csrf_token }}"}'""" in base
    for path in TEMPLATES:
        text = path.read_text(encoding="utf-8")
        if HTMX_WRITE.search(text):
            assert '{% extends "base.html" %}' in text or "{% csrf_token %}" in text, path


def test_no_view_is_exempt_from_csrf():
    sources = "\n".join(
        path.read_text(encoding="utf-8") for path in (Path(settings.BASE_DIR) / "shenbao").rglob("*.py")
    )
    assert "csrf_exempt" not in sources


def test_a_post_without_the_token_is_refused_with_a_chinese_page():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 403
    content = response.content.decode()
    assert "请求未通过安全校验" in content
    assert "CSRF cookie" not in content and "Referer" not in content


# --- Security headers ---------------------------------------------------------------------------------------------


def test_every_page_sends_the_security_headers(client):
    response = client.get(reverse("core:home"))

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


PRODUCTION_PROBE = """
import json
from django.conf import settings
from django.test import Client, override_settings

names = [
    "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE", "SESSION_COOKIE_NAME",
    "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY", "CSRF_COOKIE_NAME",
    "LANGUAGE_COOKIE_SECURE", "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY", "X_FRAME_OPTIONS",
    "SHENBAO_ALLOW_FLUSH",
]
values = {name: getattr(settings, name) for name in names}
# Only the headers are probed here: static files would need collectstatic's manifest.
storages = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
with override_settings(STORAGES=storages):
    client = Client()
    secure = client.get("/no-such-page/", secure=True, headers={"host": "shenbao.example.gov.cn"})
    plain = client.get("/no-such-page/", headers={"host": "shenbao.example.gov.cn"})
print(json.dumps({
    "settings": values,
    "status": secure.status_code,
    "headers": dict(secure.headers),
    "plain_status": plain.status_code,
    "plain_location": plain.headers.get("Location"),
}))
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    database = tmp_path_factory.mktemp("production") / "empty.sqlite3"
    result = manage(
        "shell", "--no-imports", "-c", PRODUCTION_PROBE, env=production_env(DATABASE_URL=f"sqlite:///{database}")
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_cookies_are_https_only_and_hidden_from_scripts(production):
    values = production["settings"]
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"] and values["LANGUAGE_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_HTTPONLY"] and values["CSRF_COOKIE_HTTPONLY"]
    assert values["SESSION_COOKIE_SAMESITE"] in {"Lax", "Strict"}
    assert values["SESSION_COOKIE_NAME"].startswith("__Host-") and values["CSRF_COOKIE_NAME"].startswith("__Host-")
    assert values["SHENBAO_ALLOW_FLUSH"] is False


def test_production_sends_hsts_and_the_other_headers_over_https(production):
    headers = production["headers"]
    assert production["status"] == 404
    hsts = headers["Strict-Transport-Security"]
    assert int(re.search(r"max-age=(\d+)", hsts).group(1)) >= 365 * 24 * 3600
    assert "includeSubDomains" in hsts
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]


def test_production_redirects_plain_http_to_https(production):
    assert production["plain_status"] == 301
    assert production["plain_location"].startswith("https://shenbao.example.gov.cn/")


# --- Error pages --------------------------------------------------------------------------------------------------


def assert_reveals_nothing(response):
    content = response.content.decode()
    assert SECRET not in content and "7f3a" not in content
    assert settings.SECRET_KEY not in content
    for marker in INTERNALS:
        assert marker not in content, marker
    return content


@pytest.mark.urls("tests.operations.error_urls")
@pytest.mark.parametrize(
    ("url", "status", "text"),
    [
        ("/boom/", 500, "服务器内部错误"),
        ("/boom-sql/", 500, "服务器内部错误"),
        ("/boom-403/", 403, "无权访问"),
        ("/boom-400/", 400, "请求有误"),
        ("/boom-404/", 404, "页面不存在"),
        ("/no-such-page/", 404, "页面不存在"),
    ],
)
def test_error_pages_reveal_nothing_internal(settings, url, status, text):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())

    response = client.get(url)

    assert response.status_code == status
    assert text in assert_reveals_nothing(response)


def test_an_unknown_host_gets_the_plain_400_page():
    response = Client(raise_request_exception=False).get("/", headers={"host": "evil.example"})

    assert response.status_code == 400
    content = assert_reveals_nothing(response)
    assert "evil.example" not in content and "ALLOWED_HOSTS" not in content


# --- No wiping of a live audit trail ------------------------------------------------------------------------------


def test_flush_is_refused_by_the_production_profile(tmp_path):
    # A throwaway database: should the refusal ever break, nothing of value is flushed.
    env = production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'scratch.sqlite3'}")

    result = manage("flush", "--noinput", env=env)

    assert result.returncode != 0
    assert "此环境不允许清空数据库" in result.stderr


def test_flush_is_refused_wherever_the_settings_do_not_allow_it(settings):
    settings.SHENBAO_ALLOW_FLUSH = False
    record_event(event="test_event")

    with pytest.raises(CommandError, match="此环境不允许清空数据库"):
        call_command("flush", interactive=False, verbosity=0)
    assert AuditEntry.objects.count() == 1
