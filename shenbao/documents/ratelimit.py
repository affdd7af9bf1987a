"""A fixed-window request counter in the cache (per client address), for public pages that look things up.

Shared cache (Redis in production) so every worker counts the same requests; locmem in development and tests.
"""

import time

from django.core.cache import cache


def allow_request(*, scope, ident, limit, window_seconds=60, now=None):
    """Count one request of `ident` in the current window; False once more than `limit` were made in it."""
    now = time.time() if now is None else now
    window = int(now // window_seconds)
    key = f"ratelimit:{scope}:{ident}:{window}"
    # add() is a no-op when the key exists, so concurrent first requests do not reset each other's count.
    cache.add(key, 0, timeout=window_seconds * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add() and incr()
        cache.set(key, 1, timeout=window_seconds * 2)
        count = 1
    return count <= limit
