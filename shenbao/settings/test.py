"""Test profile: fast hashing, in-memory e-mail, the same database choice as the environment."""

from .base import *  # noqa: F403

DEBUG = False
# Tests log in with the password alone; tests/security turns the second factor on with the settings fixture.
SHENBAO_REQUIRE_SECOND_FACTOR = False
# `manage.py flush` empties the append-only audit table too; refused unless allowed (shenbao/audit/…/flush.py).
SHENBAO_ALLOW_FLUSH = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# Static files straight from the app and project folders: tests never run collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Links in e-mails: the test client's host.
SHENBAO_PUBLIC_URL = "http://testserver"
# Demo units and log-ins (`manage.py seed_demo`); the production profile refuses them.
SHENBAO_ALLOW_DEMO_DATA = True
# Off by default: a test that changes calls with a raw update would otherwise see another test's page; the
# portal's cache tests turn it on (tests/core/test_portal_cache.py).
SHENBAO_PORTAL_CACHE_SECONDS = 0
