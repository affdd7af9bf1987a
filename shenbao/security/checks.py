"""System checks that keep the identity controls switched on where it matters.

The deploy checks run with `manage.py check --deploy` (tests/test_deploy.py, `make serve`), so a production
configuration with the second factor or the superuser refusal turned off does not start quietly.
"""

import os

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

SESSION_ENGINES = ("django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db")
REQUIRED_MIDDLEWARE = (
    "django_otp.middleware.OTPMiddleware",
    "shenbao.security.middleware.IdleSessionMiddleware",
    "shenbao.security.middleware.SecurityGateMiddleware",
    "axes.middleware.AxesMiddleware",
)


@register(Tags.security, deploy=True)
def check_production_identity_controls(app_configs, **kwargs):
    errors = []
    if not getattr(settings, "SHENBAO_REQUIRE_SECOND_FACTOR", False):
        errors.append(
            Error(
                "SHENBAO_REQUIRE_SECOND_FACTOR is off: staff, experts and administrators log in with a password only.",
                hint="等保2.0 level 3 wants two factors for administrators; set it to True (the production default).",
                id="shenbao.security.E001",
            )
        )
    if not getattr(settings, "SHENBAO_REFUSE_SUPERUSER", False):
        errors.append(
            Error(
                "SHENBAO_REFUSE_SUPERUSER is off: createsuperuser would create an all-powerful account.",
                # fullwidth-ok (English hint quoting a Chinese term)
                hint="三权分立: set it to True; use SHENBAO_BREAK_GLASS for an audited emergency account only.",
                id="shenbao.security.E002",
            )
        )
    return errors


@register(Tags.security, deploy=True)
def check_public_url(app_configs, **kwargs):
    """Mails carry absolute links built from SHENBAO_PUBLIC_URL; production may not start without it."""
    url = getattr(settings, "SHENBAO_PUBLIC_URL", "") or ""
    if not url.startswith(("https://", "http://")):
        return [
            Error(
                "SHENBAO_PUBLIC_URL is not set to the platform's public address (https://…).",
                hint="E-mails (invitations, password resets, notifications) need absolute links, e.g. "
                "SHENBAO_PUBLIC_URL=https://shenbao.example.gov.cn",
                id="shenbao.security.E010",
            )
        ]
    return []


PER_PROCESS_CACHES = ("django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache")


def _web_workers():
    """gunicorn's worker count as gunicorn.conf.py computes it (WEB_CONCURRENCY, else 2 × cores + 1)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    return int(os.environ.get("WEB_CONCURRENCY", str(2 * cores + 1)))


@register(Tags.security, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    """More than one worker needs a cache they share (Redis): a per-process cache is a different one per worker."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    workers = _web_workers()
    if backend in PER_PROCESS_CACHES and workers > 1:
        return [
            Error(
                f"The cache is per process ({backend.rsplit('.', 1)[-1]}) while {workers} web workers will run.",
                hint="Set REDIS_URL (shared cache and rate limits for every worker and node), or WEB_CONCURRENCY=1.",
                id="shenbao.security.E011",
            )
        ]
    return []


@register(Tags.security)
def check_session_and_middleware(app_configs, **kwargs):
    problems = []
    missing = [name for name in REQUIRED_MIDDLEWARE if name not in settings.MIDDLEWARE]
    if missing:
        problems.append(
            Error(f"Security middleware missing from MIDDLEWARE: {', '.join(missing)}.", id="shenbao.security.E003")
        )
    elif settings.MIDDLEWARE.index(REQUIRED_MIDDLEWARE[0]) > settings.MIDDLEWARE.index(REQUIRED_MIDDLEWARE[2]):
        problems.append(Error("OTPMiddleware must come before SecurityGateMiddleware.", id="shenbao.security.E004"))
    if settings.SESSION_ENGINE not in SESSION_ENGINES:
        problems.append(
            Warning(
                "The security administrator's session list reads Django's database session table.",
                hint=f"Use one of {', '.join(SESSION_ENGINES)} as SESSION_ENGINE.",
                id="shenbao.security.W001",
            )
        )
    if settings.SESSION_COOKIE_AGE <= settings.SHENBAO_SESSION_IDLE_TIMEOUT:
        problems.append(
            Warning(
                "SESSION_COOKIE_AGE is not longer than SHENBAO_SESSION_IDLE_TIMEOUT: idle sessions vanish before the "
                "idle-timeout middleware can tell the user why they must log in again.",
                id="shenbao.security.W002",
            )
        )
    return problems
