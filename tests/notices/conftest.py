"""Fixtures of the 公示 tests only; the published notice and the applications in 征求意见 are shared
(tests/fixtures/notices.py), the dates and helpers are in builders.py."""

import pytest


@pytest.fixture(autouse=True)
def _fresh_throttle(settings):
    # Objections are throttled per address in the cache (locmem outlives a test); the tests file many from one.
    from django.core.cache import cache

    cache.clear()
    settings.SHENBAO_OBJECTION_THROTTLE = {"attempts": 50, "window": 3600}
