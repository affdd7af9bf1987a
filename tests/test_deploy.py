"""The production profile: `check --deploy` is silent, missing secrets stop start-up, gunicorn loads the app.

Each case runs Django in a subprocess because settings are read once per process.
"""

import os
import runpy
import secrets
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = "shenbao.settings.production"
# Variables that must not leak from the developer's or CI's shell into these checks.
ISOLATED = (
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by tests/conftest.py for Playwright; async.E001 in a deployment
    "PYTHONWARNINGS",
    "SECRET_KEY",
    "SECRET_KEY_FALLBACKS",
    "SHENBAO_DATA_KEYS",
    "ALLOWED_HOSTS",
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "EMAIL_BACKEND",
    "SHENBAO_PUBLIC_URL",
    "REDIS_URL",
    "WEB_CONCURRENCY",
    "GUNICORN_BIND",
    "HOST",
    "PORT",
)


def production_env(**overrides):
    env = {key: value for key, value in os.environ.items() if key not in ISOLATED}
    env.update(
        DJANGO_SETTINGS_MODULE=PRODUCTION,
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="shenbao.example.gov.cn",
        SHENBAO_DATA_KEYS=Fernet.generate_key().decode(),
        SHENBAO_PUBLIC_URL="https://shenbao.example.gov.cn",
        REDIS_URL="redis://127.0.0.1:6379/0",  # several workers share a cache (never contacted by these checks)
    )
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_reports_no_issues():
    result = manage("check", "--deploy", "--fail-level", "DEBUG", env=production_env())

    assert result.returncode == 0, result.stdout + result.stderr
    # The one silenced check is axes.W006 (lock-out per user name, not per address; see docs/SECURITY.md).
    assert result.stdout.strip() == "System check identified no issues (1 silenced)."
    assert result.stderr == ""


@pytest.mark.parametrize("url", [None, "", "shenbao.example.gov.cn"])
def test_production_refuses_to_start_without_its_public_address(url):
    # Mail links are absolute: without SHENBAO_PUBLIC_URL they would be relative or point at a spoofed host.
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(SHENBAO_PUBLIC_URL=url))
    assert result.returncode != 0
    assert "shenbao.security.E010" in result.stdout + result.stderr


def test_several_workers_without_a_shared_cache_do_not_start():
    # Rate limits and the cache must be one for all workers: per-process memory would count each worker apart.
    result = manage("check", "--deploy", env=production_env(REDIS_URL=None, WEB_CONCURRENCY="4"))
    assert result.returncode != 0 and "shenbao.security.E011" in result.stdout + result.stderr
    result = manage("check", "--deploy", env=production_env(REDIS_URL=None, WEB_CONCURRENCY="1"))
    assert "shenbao.security.E011" not in result.stdout + result.stderr


def test_demo_data_is_refused_in_production():
    result = manage("seed_demo", env=production_env())
    assert result.returncode == 1
    assert "此环境不允许加载演示数据（seed_demo）" in result.stderr
    assert "演示账号" not in result.stdout  # no log-in was created or printed


def test_check_deploy_would_catch_an_insecure_setting():
    # Guards the test above against passing vacuously: the same command does report a weakened profile.
    result = manage("check", "--deploy", env=production_env(SECURE_SSL_REDIRECT="false"))

    assert "security.W008" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY"),
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"SECRET_KEY": "x" * 49}, "SECRET_KEY"),
        ({"SECRET_KEY": "ab" * 30}, "SECRET_KEY"),  # long enough but only two distinct characters
        ({"SECRET_KEY": "dev-only-insecure-key-do-not-use-in-production-8f3a2c1e"}, "SECRET_KEY"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS"),
        ({"ALLOWED_HOSTS": " , "}, "ALLOWED_HOSTS"),
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS"),
        ({"SHENBAO_DATA_KEYS": None}, "SHENBAO_DATA_KEYS"),
    ],
)
def test_production_refuses_to_start_without_its_secrets(overrides, message):
    result = manage("check", env=production_env(**overrides))

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_secret_key_of_exactly_fifty_characters_is_accepted():
    result = manage("check", env=production_env(SECRET_KEY=secrets.token_urlsafe(64)[:50]))

    assert result.returncode == 0, result.stderr


def test_production_ignores_debug_from_the_environment():
    code = "from django.conf import settings; print(settings.DEBUG, settings.SESSION_COOKIE_SECURE)"
    result = manage("shell", "--no-imports", "-c", code, env=production_env(DEBUG="true"))

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]


def test_gunicorn_loads_the_wsgi_application_with_production_settings():
    gunicorn = Path(sys.executable).with_name("gunicorn")
    result = subprocess.run(
        [str(gunicorn), "-c", "gunicorn.conf.py", "--check-config"],
        cwd=ROOT,
        env=production_env(DJANGO_SETTINGS_MODULE=None),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_gunicorn_answers_without_its_name_or_version_in_the_server_header():
    import socket
    import time

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "-c", "gunicorn.conf.py", "--workers", "1", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=production_env(DJANGO_SETTINGS_MODULE=None),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # Plain HTTP to the allowed host: the redirect to HTTPS needs neither the database nor a template.
        request = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"Host": "shenbao.example.gov.cn"})
        opener = urllib.request.build_opener(_NoRedirect)
        for _ in range(100):
            try:
                opener.open(request, timeout=5)
            except urllib.error.HTTPError as error:
                headers = error.headers
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not answer")
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert "gunicorn" not in (headers.get("Server") or "").lower()
    assert headers.get("Server") == "web"
    assert headers.get("Location") == "https://shenbao.example.gov.cn/"


def test_the_wsgi_application_is_warmed_without_touching_the_database():
    """Every view imported and the layout compiled at load time (in gunicorn's master, see preload_app), and no
    database connection opened: the master's connection would be shared by every forked worker."""
    probe = (
        "import sys, shenbao.wsgi\n"
        "loaded = 'shenbao.core.views' in sys.modules and 'shenbao.applications.views' in sys.modules\n"
        "from django.db import connections\n"
        "from shenbao.core.warmup import warm_up\n"
        "print(all(c.connection is None for c in connections.all()), warm_up(), loaded)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        # Nothing listens on port 1: any query during the warm-up would fail the import.
        env=production_env(DATABASE_URL="postgres://shenbao@127.0.0.1:1/shenbao"),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    connections_closed, patterns, views_loaded = result.stdout.split()
    assert connections_closed == "True" and views_loaded == "True"
    assert int(patterns) > 100


def test_gunicorn_preloads_the_application_and_spreads_worker_recycling(monkeypatch):
    monkeypatch.delenv("GUNICORN_MAX_REQUESTS", raising=False)
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))

    assert config["preload_app"] is True
    assert config["max_requests_jitter"] == config["max_requests"] // 2 == 1000


def test_gunicorn_config_reads_bind_and_workers_from_the_environment(monkeypatch):
    monkeypatch.setenv("GUNICORN_BIND", "0.0.0.0:9000,unix:/run/shenbao.sock")
    monkeypatch.setenv("WEB_CONCURRENCY", "7")
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))

    assert config["bind"] == ["0.0.0.0:9000", "unix:/run/shenbao.sock"]
    assert config["workers"] == 7
    assert config["accesslog"] == "-"


def test_gunicorn_config_defaults_to_loopback_and_cores(monkeypatch):
    for name in ("GUNICORN_BIND", "HOST", "PORT", "WEB_CONCURRENCY"):
        monkeypatch.delenv(name, raising=False)
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))

    assert config["bind"] == ["127.0.0.1:8000"]
    assert config["workers"] == len(os.sched_getaffinity(0)) + 1
