"""Settings shared by every profile. Everything deployment-specific comes from the environment.

Development defaults are safe (SQLite, console e-mail, DEBUG only when asked for); the production
profile (`shenbao.settings.production`) refuses to start without the secrets it needs.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from shenbao.core.nodes import StorageConfigError, cache_backend_of, media_storage_from_env, multi_node_problems
from shenbao.observability.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# A development-only key; production.py insists on SECRET_KEY from the environment.
SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production-8f3a2c1e")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # First: its createsuperuser replaces django.contrib.auth's (refused in production, audited).
    "shenbao.security",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "auditlog",
    "django_fsm_log",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "shenbao.core",
    "shenbao.organisations",
    "shenbao.accounts",
    "shenbao.calls",
    "shenbao.audit",
    "shenbao.applications",
    "shenbao.documents",
    "shenbao.review",
    "shenbao.opinions",
    "shenbao.notices",
    "shenbao.awards",
    "shenbao.funding",
    "shenbao.acceptance",
    "shenbao.notifications",
    "shenbao.exports",
    "shenbao.operations",
    "shenbao.observability",
    "shenbao.experts",
    "shenbao.scoring",
    "shenbao.apiaccess",
    "shenbao.announcements",
]

MIDDLEWARE = [
    # First: every line logged while a request is served carries its id (shenbao/observability).
    "shenbao.observability.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # /healthz and /readyz answered before sessions, authentication, the host check and the audit context.
    "shenbao.observability.middleware.ProbeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "shenbao.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before any view reads input; after authentication and messages, which its Chinese 400 page uses.
    "shenbao.core.middleware.RejectNulMiddleware",
    # Per person and address: a few generated documents at a time (after authentication, which names the person).
    "shenbao.core.middleware.ExpensiveWorkLimitMiddleware",
    "shenbao.security.middleware.IdleSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "shenbao.audit.middleware.AuditMiddleware",
    # Inside the audit context: one audit entry for every request that carried an API key, with its status.
    "shenbao.apiaccess.auth.ServiceKeyAuditMiddleware",
    "shenbao.security.middleware.SecurityGateMiddleware",
    # Last, as django-axes asks: it turns a lock-out flagged during the log-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "shenbao.urls"
WSGI_APPLICATION = "shenbao.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "shenbao" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shenbao.core.context_processors.navigation",
                "shenbao.notifications.context_processors.unread_count",
            ],
        },
    },
]

# SQLite when DATABASE_URL is unset; PostgreSQL (or anything dj-database-url knows) otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'shenbao.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the task worker and the web process share the file without "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "transaction_mode": "IMMEDIATE"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out user name before any password is checked (needs `request` in authenticate()).
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:home"

# First makes every new hash; the rest only verify old ones until their owner's next log-in re-hashes them.
PASSWORD_HASHERS = [
    "shenbao.security.hashers.TunedArgon2PasswordHasher",
    "shenbao.security.hashers.TunedPBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # 等保2.0 identity controls (shenbao/security/passwords.py): 3 of 4 classes, no user name, not the last 5.
    {"NAME": "shenbao.security.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "shenbao.security.passwords.UsernameValidator"},
    {"NAME": "shenbao.security.passwords.PasswordHistoryValidator", "OPTIONS": {"count": 5}},
]

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates per language (shenbao/core/templatetags/dates.py); English overrides Django's 12-hour datetime.
FORMAT_MODULE_PATH = ["shenbao.core.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}


# Django 6.1 mailers; the environment keeps the familiar EMAIL_* names.
def mailer_from_env(default_backend):
    backend = env("EMAIL_BACKEND", default_backend)
    options = {}
    if backend.endswith("smtp.EmailBackend"):
        options = {
            "host": env("EMAIL_HOST", "localhost"),
            "port": int(env("EMAIL_PORT", "25")),
            "username": env("EMAIL_HOST_USER", ""),
            "password": env("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
            # A hung SMTP server must not hold a worker forever.
            "timeout": int(env("EMAIL_TIMEOUT", "30")),
        }
    return {"BACKEND": backend, "OPTIONS": options}


MAILERS = {"default": mailer_from_env("django.core.mail.backends.console.EmailBackend")}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "shenbao@localhost")

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# No inline scripts anywhere: every script is a static file, and nonces cover the rare exception.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# The idle timeout is enforced on the server by shenbao.security.middleware.IdleSessionMiddleware (30 minutes);
# the store keeps an idle session for the rest of the working day so the log-in page can say why it ended.
SHENBAO_SESSION_IDLE_TIMEOUT = int(env("SHENBAO_SESSION_IDLE_TIMEOUT", str(30 * 60)))
SESSION_COOKIE_AGE = 8 * 60 * 60
# Not every request: the idle-timeout middleware records activity (and so renews the expiry) once a minute at most,
# so a signed-in page costs no write (shenbao/security/sessions.py, ACTIVITY_RESOLUTION).
SESSION_SAVE_EVERY_REQUEST = False

AUDITLOG_LOGENTRY_MODEL = "audit.AuditEntry"
# auditlog's own migrations would create its swapped-out `auditlog_logentry` table anyway; that orphan references
# users and content types, so PostgreSQL's flush (TRUNCATE) fails. Our table comes from shenbao.audit's migrations.
MIGRATION_MODULES = {"auditlog": None}
AUDITLOG_STORE_JSON_CHANGES = True
# Our reverse proxies (addresses or networks); X-Forwarded-For is believed only from them (shenbao/audit/network.py).
AUDIT_TRUSTED_PROXIES = env_list("AUDIT_TRUSTED_PROXIES")

PAGE_SIZE = 25
# The public portals' parts that are the same for every visitor are cached at most this long (shenbao/core/portal.py:
# rebuilt sooner when the data or the clock changes them); 0 turns the cache off.
SHENBAO_PORTAL_CACHE_SECONDS = int(env("SHENBAO_PORTAL_CACHE_SECONDS", "300"))

# Generated documents and exports per person (or address) and minute, and at once (shenbao/core/middleware.py,
# ExpensiveWorkLimitMiddleware): a burst of downloads must not hold every worker.
SHENBAO_EXPENSIVE_LIMITS = {
    "per_minute": int(env("SHENBAO_EXPENSIVE_PER_MINUTE", "30")),
    "concurrent": int(env("SHENBAO_EXPENSIVE_CONCURRENT", "2")),
}

# Log lines: readable text here and in development, one JSON object per line in production (SHENBAO_LOG_FORMAT);
# every line with its time in TIME_ZONE, its request id and user (shenbao/observability/logs.py).
LOG_LEVEL = env("LOG_LEVEL", "INFO")
LOGGING = logging_config(log_format=env("SHENBAO_LOG_FORMAT", "text"), level=LOG_LEVEL, time_zone=TIME_ZONE)

SHENBAO_DEMO_PASSWORD = env("SHENBAO_DEMO_PASSWORD", "Shenbao#2022demo")
# The platform's name and the bureau that runs it, as every page, title and mail shows them: configuration, never
# the request's host (Django's auth views put the host into `site_name`; our pages read `platform_name`).
SHENBAO_SITE_NAME = env("SHENBAO_SITE_NAME") or _("申报评审平台")
SHENBAO_OPERATOR_NAME = env("SHENBAO_OPERATOR_NAME", "")
# No city here: one deployment serves several cities, each named by its reference data (Region.portal_heading).

# Business data whose every create, update and delete lands in the audit trail.
AUDITLOG_INCLUDE_TRACKING_MODELS = (
    "organisations.Region",
    "organisations.UnitType",
    # Phones are encrypted at rest; the trail records them masked (138****5678), never in clear.
    {
        "model": "organisations.Organisation",
        "mask_fields": ["contact_phone"],
        "mask_callable": "shenbao.core.crypto.mask_phone",
    },
    {
        "model": "accounts.User",
        "exclude_fields": ["password", "last_login"],
        "mask_fields": ["phone"],
        "mask_callable": "shenbao.core.crypto.mask_phone",
    },
    "accounts.RoleGrant",
    "calls.Call",
    "calls.ProjectType",
    "calls.Instalment",
    "calls.EligibilityRule",
    "calls.MaterialRequirement",
    "calls.RubricItem",
    "calls.CallAttachment",
    # Draft saves are audited per section by the service (a readable diff, ID numbers masked), not as raw JSON.
    {"model": "applications.Application", "exclude_fields": ["form_data", "revision", "updated_at"]},
    "applications.ApplicationVersion",
    "applications.ApplicationMaterial",
    "applications.ReviewComment",
    "funding.FundingRecord",
    "funding.FundingInstalment",
    "funding.LedgerEntry",
    "funding.Appropriation",
    # Phones are stored encrypted; the ciphertext changes at every save, so only the blind index is compared.
    {"model": "experts.ExpertProfile", "exclude_fields": ["phone", "updated_at"]},
    "experts.ExpertRelation",
    "experts.Panel",
    "experts.PanelMember",
    "experts.Assignment",
    "experts.DefenceSession",
    "experts.DefenceSlot",
    # Each draft save of a sheet changes its revision and timestamps; the scores themselves are what matter.
    {"model": "scoring.ScoreSheet", "exclude_fields": ["revision", "updated_at"]},
    "scoring.ScoreEntry",
    "scoring.SheetReopening",
    "scoring.TieBreak",
    "scoring.TieBreakEntry",
    # Drafts change their revision at every save; the services audit each save and every decision as an event.
    {"model": "acceptance.ProgressReport", "exclude_fields": ["revision", "updated_at"]},
    "acceptance.FundUse",
    {"model": "acceptance.AcceptanceEvaluation", "exclude_fields": ["revision", "updated_at"]},
    "acceptance.SelfScore",
    {"model": "acceptance.ExpertReview", "exclude_fields": ["revision"]},
    "acceptance.ReviewScore",
    "acceptance.ItemResult",
    {"model": "acceptance.Rectification", "exclude_fields": ["revision", "updated_at"]},
    "acceptance.EvidenceFile",
)

# Fernet keys for personal data at rest (shenbao/core/crypto.py); first encrypts, all decrypt.
SHENBAO_DATA_KEYS = env_list("SHENBAO_DATA_KEYS")

# `manage.py seed_demo` creates log-ins with a published password: only the dev and test profiles allow it.
SHENBAO_ALLOW_DEMO_DATA = False
# Practice calls (「演示」, `seed_demo`) are listed on the home page, the portals and the call pages only where this
# is on: the dev/demo profile. Off by default and in production, where a practice call is then never public.
SHENBAO_SHOW_PRACTICE_CALLS = env_bool("SHENBAO_SHOW_PRACTICE_CALLS", False)

# The platform's public address: links in e-mails and the verification (核验) address on documents. Required in
# production (deploy check shenbao.security.E010); development and tests default to their local address.
SHENBAO_PUBLIC_URL = env("SHENBAO_PUBLIC_URL", "")

# Activation links (激活链接, shenbao/accounts/activation.py) of accounts created for someone: hours they stay valid.
SHENBAO_ACTIVATION_HOURS = int(env("SHENBAO_ACTIVATION_HOURS", "72"))
# Text messages (shenbao/core/sms.py): the class path of a gateway backend; empty sends none.
SHENBAO_SMS_BACKEND = env("SHENBAO_SMS_BACKEND", "")
# The commercial SMS gateway (shenbao/core/sms_gateway.py, docs/operations/messages.md), used when the backend is
# "shenbao.core.sms_gateway.GatewayBackend": its API address, account key and secret, the registered 短信签名 and the
# one-variable template's id, and the seconds to wait for an answer before the outbox retries.
SHENBAO_SMS_GATEWAY = {
    "URL": env("SHENBAO_SMS_GATEWAY_URL", ""),
    "KEY": env("SHENBAO_SMS_GATEWAY_KEY", ""),
    "SECRET": env("SHENBAO_SMS_GATEWAY_SECRET", ""),
    "SIGN_NAME": env("SHENBAO_SMS_GATEWAY_SIGN_NAME", ""),
    "TEMPLATE_ID": env("SHENBAO_SMS_GATEWAY_TEMPLATE_ID", ""),
    "TIMEOUT": float(env("SHENBAO_SMS_GATEWAY_TIMEOUT", "10")),
}

# --- Identity controls of 等保2.0 level 3 (shenbao/security, docs/SECURITY.md) ---
# Staff, experts and administrators (every role but the applicant) change their password after this many days.
SHENBAO_PASSWORD_MAX_AGE_DAYS = int(env("SHENBAO_PASSWORD_MAX_AGE_DAYS", "90"))
# TOTP after the password for the same people; production insists (check --deploy), dev and test turn it off.
SHENBAO_REQUIRE_SECOND_FACTOR = env_bool("SHENBAO_REQUIRE_SECOND_FACTOR", True)
# createsuperuser is refused unless SHENBAO_BREAK_GLASS names a reason (production.py turns this on).
SHENBAO_REFUSE_SUPERUSER = False
SHENBAO_BREAK_GLASS = env("SHENBAO_BREAK_GLASS", "")
OTP_TOTP_ISSUER = "申报评审平台"
# django-axes: 5 failures of one user name lock it for 15 minutes from the 5th failure. Per user name only, not
# per address: county offices share NAT addresses (hence axes.W006 is silenced). Attempts while locked are refused
# without extending the lock; a successful log-in clears the count. Our audit trail replaces axes' access log.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "security/lockout.html"
AXES_CLIENT_IP_CALLABLE = "shenbao.audit.network.client_ip"
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# --- Observability (shenbao/observability; docs/operations/observability.md) ---
# A stopped or unreachable PostgreSQL must fail a query (and /readyz) within seconds, not hang a worker.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(env("DATABASE_CONNECT_TIMEOUT", "5"))
    )
# The load balancer probes over plain HTTP (SecurityMiddleware strips the leading slash before matching).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# Audit entries' correlation id (django-auditlog's `cid`, covered by the hash chain) is the request id, never a
# header a client chose (auditlog's default reads X-Correlation-ID from anyone).
AUDITLOG_CID_GETTER = "shenbao.observability.context.current_request_id"
# `manage.py task_worker` beats this often; /readyz fails when the newest beat is older than the stale limit.
SHENBAO_WORKER_HEARTBEAT_SECONDS = float(env("SHENBAO_WORKER_HEARTBEAT_SECONDS", "5"))
SHENBAO_WORKER_STALE_SECONDS = float(env("SHENBAO_WORKER_STALE_SECONDS", "60"))
# Unhandled errors (500) are mailed to these addresses (comma-separated) through the default mailer.
ADMINS = env_list("ADMINS")
# Optional error reports to a Sentry-compatible service; personal data scrubbed (shenbao/observability/errors.py).
SENTRY_DSN = env("SENTRY_DSN", "")
SENTRY_ENVIRONMENT = env("SENTRY_ENVIRONMENT", "")


# API (/api/v1/, shenbao.apiaccess): the longest a service account's key may be valid, and the calls one key may
# make per window (counted by core.ratelimit, shared by every worker).
SHENBAO_API_KEY_MAX_DAYS = int(env("SHENBAO_API_KEY_MAX_DAYS", "365"))
SHENBAO_API_RATE_LIMIT = {
    "attempts": int(env("SHENBAO_API_RATE_LIMIT_CALLS", "120")),
    "window": int(env("SHENBAO_API_RATE_LIMIT_WINDOW", "60")),
}


# --- Several web nodes and object storage (shenbao/core/nodes.py, docs/operations/several-nodes.md) ---
# Media on the local disk (MEDIA_ROOT, the default) or on S3-compatible object storage (SHENBAO_MEDIA_STORAGE=s3).
try:
    MEDIA_STORAGE = media_storage_from_env(env)
except StorageConfigError as error:
    raise ImproperlyConfigured(str(error)) from error
STORAGES["default"] = MEDIA_STORAGE
# One Redis may serve other systems too: every key of this deployment (cache and rate limits) starts with this.
SHENBAO_CACHE_KEY_PREFIX = env("SHENBAO_CACHE_KEY_PREFIX", "")
CACHES["default"]["KEY_PREFIX"] = SHENBAO_CACHE_KEY_PREFIX
# Protected downloads leave through nginx (X-Accel-Redirect, shenbao/core/files.py): e.g. "/_protected/"; empty
# streams them through the web process (development, or no nginx in front).
SHENBAO_ACCEL_REDIRECT_PREFIX = env("SHENBAO_ACCEL_REDIRECT_PREFIX", "")
if SHENBAO_ACCEL_REDIRECT_PREFIX and not (
    SHENBAO_ACCEL_REDIRECT_PREFIX.startswith("/") and SHENBAO_ACCEL_REDIRECT_PREFIX.endswith("/")
):
    raise ImproperlyConfigured("SHENBAO_ACCEL_REDIRECT_PREFIX must start and end with '/', e.g. /_protected/.")
# Several web nodes share the work: no per-process state may remain (refused at start-up otherwise).
SHENBAO_MULTI_NODE = env_bool("SHENBAO_MULTI_NODE", False)
# Acknowledges that MEDIA_ROOT is one shared file system mounted on every node (instead of object storage).
SHENBAO_SHARED_MEDIA_DISK = env_bool("SHENBAO_SHARED_MEDIA_DISK", False)
if SHENBAO_MULTI_NODE and (
    _problems := multi_node_problems(
        redis_url=REDIS_URL,
        cache_backend=cache_backend_of(CACHES),
        media_backend=str(MEDIA_STORAGE["BACKEND"]),
        shared_media_disk=SHENBAO_SHARED_MEDIA_DISK,
        task_backend=TASKS["default"]["BACKEND"],
    )
):
    raise ImproperlyConfigured("SHENBAO_MULTI_NODE is on, but: " + " ".join(_problems))


# --- Documents of submitted versions (shenbao/documents/services_stored.py) ---
# The task backend that renders them: the task worker's. Not read from the environment: only the browser tests'
# harness points it at a backend of its own, to run the documents' worker itself while the page shows progress.
SHENBAO_DOCUMENTS_TASK_BACKEND = "default"
