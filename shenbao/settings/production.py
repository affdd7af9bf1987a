"""Production profile: every secret from the environment, HTTPS only, strict cookies.

`DJANGO_SETTINGS_MODULE=shenbao.settings.production python manage.py check --deploy` must stay silent
(tests/test_deploy.py runs it). The site sits behind the intranet's HTTPS reverse proxy and is served by
gunicorn (`gunicorn.conf.py`) with whitenoise for static files; see README.md → 生产部署 / Production.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    DATABASES,
    LOG_LEVEL,
    MEDIA_STORAGE,
    TIME_ZONE,
    env,
    env_bool,
    env_list,
    logging_config,
    mailer_from_env,
)

# DEBUG is never read from the environment here: a stray DEBUG=1 must not leak tracebacks in production.
DEBUG = False
# 等保2.0: two factors for staff, experts and administrators; no all-powerful account (shenbao/security).
# Turning the second factor off is an error of `check --deploy` (shenbao.security.E001).
SHENBAO_REQUIRE_SECOND_FACTOR = env_bool("SHENBAO_REQUIRE_SECOND_FACTOR", True)
SHENBAO_REFUSE_SUPERUSER = True
# Never empty a live audit trail (shenbao/audit/management/commands/flush.py); restore needs an empty database.
SHENBAO_ALLOW_FLUSH = False
# Demo data (`seed_demo`) has published passwords: refused here, whatever the environment says.
SHENBAO_ALLOW_DEMO_DATA = False
# No practice call (「演示」) is ever public here, whatever the environment says.
SHENBAO_SHOW_PRACTICE_CALLS = False

SECRET_KEY = env("SECRET_KEY", "")
# Same bar as Django's security.W009, but refused at start-up instead of merely warned about.
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith(("dev-only", "django-insecure")):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set in the environment to a random value of 50+ characters "
        '(e.g. python -c "import secrets; print(secrets.token_urlsafe(64))").'
    )
# Personal data at rest (身份证号码) is encrypted with these Fernet keys; never derive them from SECRET_KEY here.
SHENBAO_DATA_KEYS = env_list("SHENBAO_DATA_KEYS")
if not SHENBAO_DATA_KEYS:
    raise ImproperlyConfigured(
        "SHENBAO_DATA_KEYS must hold at least one Fernet key "
        '(python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())").'
    )
# Old keys stay valid for signed data during a rotation.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the host names this deployment answers to (comma-separated).")
if "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must not contain '*' in production: list the real host names.")

# Persistent connections: a fresh PostgreSQL connection per request is the biggest avoidable latency.
DATABASES["default"]["CONN_MAX_AGE"] = int(env("DATABASE_CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# TLS terminates at the intranet reverse proxy, which must set X-Forwarded-Proto (and strip a client's own).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# The __Host- prefix makes browsers refuse these cookies unless they are Secure, host-only and path "/".
SESSION_COOKIE_NAME = "__Host-sessionid"
SESSION_COOKIE_SECURE = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_NAME = "__Host-csrftoken"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Hashed file names let whitenoise serve static files with far-future cache headers (needs collectstatic).
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Real mail by default; the development console backend would silently swallow password-reset mails.
MAILERS = {"default": mailer_from_env("django.core.mail.backends.smtp.EmailBackend")}
SERVER_EMAIL = env("SERVER_EMAIL", env("DEFAULT_FROM_EMAIL", "shenbao@localhost"))

# One JSON object per line for the log shipper (docs/operations/observability.md); text only when asked for.
LOGGING = logging_config(log_format=env("SHENBAO_LOG_FORMAT", "json"), level=LOG_LEVEL, time_zone=TIME_ZONE)
