"""Who may do what with announcements; declared once, used by the workflow, the views and the selectors.

- Drafting, editing, attaching files, sending for review: the call administrator (技能办) who wrote the draft.
- Reviewing (publish or return): another call administrator of the same city — never the author (the
  second-person rule is the point of the review).
- Withdrawing a published announcement: any call administrator of its city.
Another city's announcement is outside `admin_announcements_q` and answers 404. The public pages need no permission.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules
from django.db.models import Q

from shenbao.accounts.roles import Role
from shenbao.accounts.rules import get_city_of_user, has_role

if TYPE_CHECKING:
    from shenbao.accounts.rules import AnyUser
    from shenbao.organisations.models import Region

    from .models import Announcement

NOTHING = Q(pk__in=[])

is_announcement_admin = has_role(Role.CALL_ADMIN)


def get_admin_city(user: AnyUser | None) -> Region | None:
    """The city whose announcements `user` administers, or None."""
    return get_city_of_user(user, role=Role.CALL_ADMIN)


def admin_announcements_q(user: AnyUser | None, prefix: str = "") -> Q:
    """Q over Announcement (or, with `prefix` "announcement__", over its attachments) the user administers."""
    city = get_admin_city(user)
    return NOTHING if city is None else Q(**{f"{prefix}city": city.pk})


@rules.predicate
def administers_announcement(user: AnyUser, announcement: Announcement | None) -> bool:
    city = get_admin_city(user)
    return announcement is not None and city is not None and announcement.city_id == city.pk


@rules.predicate
def is_author(user: AnyUser, announcement: Announcement | None) -> bool:
    return announcement is not None and user is not None and announcement.author_id == user.pk


may_edit = administers_announcement & is_author

rules.add_perm("announcements.manage_announcements", is_announcement_admin)
rules.add_perm("announcements.edit_announcement", may_edit)

# The workflow's actors (`workflow.MACHINE`); the reviewer's "not the author" is its guard `steps.not_the_author`,
# so the refusal names the rule instead of a bare 403.
ACTORS = {"author": may_edit, "city_admin": administers_announcement}
