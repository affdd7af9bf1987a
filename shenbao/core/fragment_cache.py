"""HTML the same for every reader of a page, built once per change of the data it shows (the public portals, the
province's statistics), and values the same for every request of one reader (the staff list's filter choices, read
from every application the reader may see).

The key holds the audit chain's head: every change to calls, applications, notices, designations, funds and the
reference data writes an audit entry, so an audited write makes the next reader build it again. It is also built
again when the clock changes it (`changes_at`, e.g. a deadline passing) and at the latest after
SHENBAO_PORTAL_CACHE_SECONDS, for a change made outside the audited paths; 0 turns the cache off. A fresh fragment
costs one indexed query (the chain's head) against the queries and the rendering it saves.

A fragment must show nothing of its reader (name, CSRF token, messages): what one reader's request built, every
other reader with the same key is served. A value that depends on its reader names the reader in its `name`.
"""

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from shenbao.audit.selectors import get_chain_head


def cached_fragment(
    *,
    name: str,
    at: dt.datetime,
    build: Callable[[], SafeString],
    changes_at: Callable[[], dt.datetime] | None = None,
) -> SafeString:
    """The fragment `name` (in the reader's language) from the cache while the data and the clock leave it as it
    was; otherwise `build()` it and keep it until `changes_at()` (asked only when it is built: it may cost a query)
    or the setting's maximum age, whichever is first."""
    # The cache keeps the text; the template engine escaped it when it was rendered.
    return mark_safe(cached_value(name=name, at=at, build=lambda: str(build()), changes_at=changes_at))


def cached_value[T](
    *,
    name: str,
    at: dt.datetime,
    build: Callable[[], T],
    changes_at: Callable[[], dt.datetime] | None = None,
) -> T:
    """`cached_fragment` for any value the cache can pickle: `build()` once per change of the audited data, of the
    clock (`changes_at`) or of the reader's language, and at the latest after the setting's maximum age."""
    seconds = settings.SHENBAO_PORTAL_CACHE_SECONDS
    if seconds <= 0:
        return build()
    head = get_chain_head()
    key = f"fragment:{name}:{get_language()}:{head[0] if head else 0}"
    cached = cache.get(key)
    if cached is not None and at < cached[0]:
        return cached[1]
    value = build()
    valid_until = at + dt.timedelta(seconds=seconds)
    if changes_at is not None:
        valid_until = min(valid_until, changes_at())
    cache.set(key, (valid_until, value), timeout=max(1, int((valid_until - at).total_seconds()) + 1))
    return value
