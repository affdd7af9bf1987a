"""A message belongs to its recipient alone (the selectors scope every query the same way)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from shenbao.accounts.rules import is_system_admin

if TYPE_CHECKING:
    from shenbao.accounts.rules import AnyUser

    from .models import Notification


@rules.predicate
def is_recipient(user: AnyUser, notification: Notification | None) -> bool:
    return notification is not None and user.is_authenticated and notification.recipient_id == user.pk


rules.add_perm("notifications.view_notification", is_recipient)
# The outbox (发件队列) is operations: the system administrator sees who was mailed what subject and why a send
# failed, never a body (password-reset links are in bodies).
rules.add_perm("notifications.view_outbox", is_system_admin)
