"""The readiness checks of /readyz: database, cache, file storage and the task worker's heartbeat.

Each check answers True or False and logs why it failed (never the response: it would tell anyone who asks
about our internals). A check that raises counts as failed.
"""

import datetime as dt
import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from . import selectors

logger = logging.getLogger(__name__)

# The task backend whose tasks wait for `manage.py task_worker`; with any other (the immediate backend of the
# development and test profiles) tasks run in the request and there is no worker to wait for.
WORKER_BACKEND = "django_tasks_db.DatabaseBackend"
PROBE_FOLDER = "readyz"


def check_database() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def check_cache() -> bool:
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=30)
    try:
        return cache.get(key) == "ok"
    finally:
        cache.delete(key)


def check_storage() -> bool:
    """Write, read back and delete a tiny file: uploads need a writable store, and an existence check would pass
    on a full disk, a read-only mount or object-store credentials that may read but not write."""
    name = default_storage.save(f"{PROBE_FOLDER}/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name, "rb") as stored:
            return stored.read() == b"ok"
    finally:
        default_storage.delete(name)


def worker_expected() -> bool:
    return settings.TASKS.get("default", {}).get("BACKEND") == WORKER_BACKEND


def check_task_worker() -> bool:
    latest = selectors.get_latest_heartbeat()
    stale_after = dt.timedelta(seconds=settings.SHENBAO_WORKER_STALE_SECONDS)
    return latest is not None and timezone.now() - latest <= stale_after


def _run(name: str, check: Callable[[], bool]) -> bool:
    try:
        passed = check()
    except Exception:
        logger.warning("readiness check %s failed", name, exc_info=True)
        return False
    if not passed:
        logger.warning("readiness check %s failed", name)
    return passed


def run_checks() -> dict[str, bool]:
    """Every check by name; the worker's only where tasks wait for one, and only when the database answered
    (its heartbeat is in the database: a second timeout would only delay the answer)."""
    results = {
        "database": _run("database", check_database),
        "cache": _run("cache", check_cache),
        "storage": _run("storage", check_storage),
    }
    if worker_expected():
        results["task_worker"] = results["database"] and _run("task_worker", check_task_worker)
    return results
