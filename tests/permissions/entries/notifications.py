"""notifications: everyone's own inbox; marking one's own message read (another user's: 404)."""

from tests.permissions.dsl import LOGGED_IN, OWN, allow, get, post

ENTRIES = [
    get("notifications:inbox", allow(LOGGED_IN)),
    post("notifications:mark_all_read", allow(LOGGED_IN, status=302)),
    post(
        "notifications:mark_read",
        allow(LOGGED_IN, on=OWN, status=302),
        obj="notification",
        watch=lambda notification: notification.read_at,
    ),
]
