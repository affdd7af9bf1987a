"""The one rate limiter: fixed-window counters shared by every worker and every node.

Limits that count per process let N workers × the limit through (the registration form took 24 attempts where
10 were allowed). Counters therefore live where all processes see them: Redis when `REDIS_URL` is set, otherwise
the database (`RateLimitCounter`, incremented with one atomic INSERT … ON CONFLICT DO UPDATE … RETURNING, which
PostgreSQL and SQLite both run). Call sites must not be inside a transaction that may roll back, or the hit is
undone with it; the limits are taken at the start of a request, before any service opens one.

`hit` counts and answers the count; `allow` compares it with a `Limit`; `Slot` holds one of a few concurrent slots
(expensive rendering) and gives it back when the work is done.
"""

import datetime
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .models import RateLimitCounter

TABLE = RateLimitCounter._meta.db_table
UPSERT = (
    f'INSERT INTO "{TABLE}" ("key", "window_start", "count", "expires_at") VALUES (%s, %s, %s, %s) '
    f'ON CONFLICT ("key", "window_start") DO UPDATE SET "count" = "{TABLE}"."count" + excluded."count" '
    'RETURNING "count"'
)


@dataclass(frozen=True)
class Limit:
    attempts: int
    window: int  # seconds


def limit_from_settings(name, *, attempts, window):
    """A Limit from the setting `name` ({"attempts": …, "window": seconds}), else the given defaults."""
    configured = getattr(settings, name, None) or {}
    return Limit(attempts=int(configured.get("attempts", attempts)), window=int(configured.get("window", window)))


def _redis():
    from django.core.cache import caches

    cache = caches["default"]
    # make_key: the counters carry the deployment's KEY_PREFIX (SHENBAO_CACHE_KEY_PREFIX) like every cache entry.
    return cache._cache.get_client(write=True), cache.make_key


def _uses_redis():
    return bool(getattr(settings, "REDIS_URL", None))


def _add(key, window_start, amount, window):
    if _uses_redis():
        client, make_key = _redis()
        name = make_key(f"shenbao:rl:{key}:{window_start}")
        with client.pipeline() as pipe:
            pipe.incrby(name, amount)
            pipe.expire(name, window * 2)
            count, _ok = pipe.execute()
        return int(count)
    expires = timezone.now() + datetime.timedelta(seconds=window * 2)
    with connection.cursor() as cursor:
        cursor.execute(UPSERT, [key[:191], window_start, amount, expires])
        (count,) = cursor.fetchone()
    if count == amount:
        # The first hit of a key in a new window forgets the windows that are over (an indexed DELETE). Tied to
        # the data, not to chance, so a page's query count is the same on every run.
        RateLimitCounter.objects.filter(expires_at__lt=timezone.now()).delete()
    return count


def _window_start(limit, now):
    return int((time.time() if now is None else now) // limit.window) * limit.window


def hit(*, scope, ident, limit, now=None):
    """Count one hit of `ident` in `scope`'s current window; returns the count so far (this hit included)."""
    return _add(f"{scope}:{ident or 'unknown'}", _window_start(limit, now), 1, limit.window)


def allow(*, scope, ident, limit, now=None):
    """Count one hit; False once more than `limit.attempts` were made in the window."""
    return hit(scope=scope, ident=ident, limit=limit, now=now) <= limit.attempts


class Slot:
    """`with Slot(scope=…, ident=…, limit=Limit(2, 120)) as granted:` — one of `limit.attempts` concurrent slots.

    The count is taken back when the block ends; a worker killed mid-way leaks its slot only until the window
    (the longest the work may take) is over.
    """

    def __init__(self, *, scope, ident, limit):
        self.key, self.limit = f"{scope}:{ident or 'unknown'}", limit
        self.window_start = _window_start(limit, None)

    def __enter__(self):
        self.count = _add(self.key, self.window_start, 1, self.limit.window)
        return self.count <= self.limit.attempts

    def __exit__(self, *exc_info):
        _add(self.key, self.window_start, -1, self.limit.window)
        return False
