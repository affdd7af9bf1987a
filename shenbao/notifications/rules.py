"""Notifications' permissions: a message belongs to its recipient alone (the selectors scope every query), so the
only declared permission is the system administrator's outbox."""

from __future__ import annotations

import rules

from shenbao.accounts.rules import is_call_admin, is_city_reviewer, is_system_admin

# The outbox (发件队列) is operations: the system administrator sees who was mailed what subject and why a send
# failed, never a body (password-reset links are in bodies).
rules.add_perm("notifications.view_outbox", is_system_admin)

# Message templates and bulk messages are the 技能办's (the call administrator of a city, for that city's units);
# the log of what was sent is read by the city's staff who run the review with it (技能办 and the city reviewers).
# The views take the city from `get_city_of_user`, so another city's message answers 404.
rules.add_perm("notifications.edit_message_templates", is_call_admin)
rules.add_perm("notifications.send_bulk_messages", is_call_admin)
rules.add_perm("notifications.view_bulk_messages", is_call_admin | is_city_reviewer)
# The SMS outbox is operations like the e-mail outbox; numbers are shown masked and texts never.
rules.add_perm("notifications.view_sms_outbox", is_system_admin)
