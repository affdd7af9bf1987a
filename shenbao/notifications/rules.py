"""A message belongs to its recipient alone (the selectors scope every query the same way)."""

import rules


@rules.predicate
def is_recipient(user, notification):
    return notification is not None and user.is_authenticated and notification.recipient_id == user.pk


rules.add_perm("notifications.view_notification", is_recipient)
