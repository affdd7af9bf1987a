"""Notifications' permissions: a message belongs to its recipient alone (the selectors scope every query), so the
only declared permission is the system administrator's outbox."""

from __future__ import annotations

import rules

from shenbao.accounts.rules import is_system_admin

# The outbox (发件队列) is operations: the system administrator sees who was mailed what subject and why a send
# failed, never a body (password-reset links are in bodies).
rules.add_perm("notifications.view_outbox", is_system_admin)
