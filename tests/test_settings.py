"""The development profiles read their deployment settings from the environment, with safe defaults.

Settings are read once per process, so each case starts Django in a subprocess and prints what it got.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
READ = [
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "MAILERS",
    "DEFAULT_FROM_EMAIL",
]
EMAIL_ENV = ("EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS")
ISOLATED = (
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "REDIS_URL",
    "MEDIA_ROOT",
    *EMAIL_ENV,
    *READ,
)
SCRIPT = f"""
import json
from django.conf import settings
db = settings.DATABASES["default"]
cache = settings.CACHES["default"]
print(json.dumps({{
    **{{name: getattr(settings, name) for name in {READ!r}}},
    "DB": {{key: db.get(key) for key in ("ENGINE", "NAME", "HOST", "PORT", "USER", "PASSWORD")}},
    "CACHE": {{"BACKEND": cache["BACKEND"], "LOCATION": cache.get("LOCATION", "")}},
    "MEDIA_ROOT": str(settings.MEDIA_ROOT),
}}))
"""


def read_settings(module, **env_vars):
    env = {key: value for key, value in os.environ.items() if key not in ISOLATED}
    env.update(DJANGO_SETTINGS_MODULE=module, **env_vars)
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {SCRIPT}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("module", ["shenbao.settings.base", "shenbao.settings.dev"])
def test_environment_overrides_every_deployment_setting(module, tmp_path):
    got = read_settings(
        module,
        DATABASE_URL="postgres://shenbao:s3cret@db.internal:5433/shenbao_prod",
        SECRET_KEY="k" * 10 + "from-the-environment",
        ALLOWED_HOSTS="shenbao.example.gov.cn, .example.gov.cn",
        DEBUG="false",
        REDIS_URL="redis://cache.internal:6379/2",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="smtp.example.gov.cn",
        EMAIL_PORT="587",
        EMAIL_HOST_USER="noreply",
        EMAIL_HOST_PASSWORD="mail-secret",
        EMAIL_USE_TLS="true",
        DEFAULT_FROM_EMAIL="申报评审平台 <noreply@example.gov.cn>",
        MEDIA_ROOT=str(tmp_path / "media"),
    )

    assert got["DB"] == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "shenbao_prod",
        "HOST": "db.internal",
        "PORT": 5433,
        "USER": "shenbao",
        "PASSWORD": "s3cret",
    }
    assert got["SECRET_KEY"] == "kkkkkkkkkkfrom-the-environment"
    assert got["ALLOWED_HOSTS"] == ["shenbao.example.gov.cn", ".example.gov.cn"]
    assert got["DEBUG"] is False
    assert got["CACHE"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/2",
    }
    assert got["MAILERS"]["default"] == {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": "smtp.example.gov.cn",
            "port": 587,
            "username": "noreply",
            "password": "mail-secret",
            "use_tls": True,
            "timeout": 30,
        },
    }
    assert got["DEFAULT_FROM_EMAIL"] == "申报评审平台 <noreply@example.gov.cn>"
    assert got["MEDIA_ROOT"] == str(tmp_path / "media")


def test_defaults_without_environment_are_safe_and_local():
    got = read_settings("shenbao.settings.base")

    assert got["DB"]["ENGINE"] == "django.db.backends.sqlite3"
    assert got["DB"]["NAME"] == str(ROOT / "var" / "shenbao.sqlite3")
    assert got["DEBUG"] is False
    assert got["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost"]
    assert got["CACHE"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert got["MAILERS"] == {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend", "OPTIONS": {}}}
    assert got["MEDIA_ROOT"] == str(ROOT / "var" / "media")


@pytest.mark.parametrize(("value", "expected"), [(None, True), ("0", False), ("false", False), ("1", True)])
def test_dev_profile_turns_debug_on_unless_told_otherwise(value, expected):
    env = {} if value is None else {"DEBUG": value}

    assert read_settings("shenbao.settings.dev", **env)["DEBUG"] is expected


@pytest.mark.parametrize(("value", "expected"), [("1", True), ("yes", True), ("on", True), ("no", False), ("", False)])
def test_base_profile_parses_debug_flags(value, expected):
    assert read_settings("shenbao.settings.base", DEBUG=value)["DEBUG"] is expected
