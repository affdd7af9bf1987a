"""core: the home page (public) and the per-role dashboard."""

from tests.permissions.dsl import LOGGED_IN, allow, get, public

ENTRIES = [
    public("core:home"),
    get("core:dashboard", allow(LOGGED_IN)),
]
