"""Who may maintain the working-day calendar and run the public notice; declared once, used by views and selectors.

- Calendar (工作日历): the call administrator (技能办) and the system administrator (configuration data).
- Notices and objections: the call administrator of the city that issued the call. Another city's notice or
  objection is outside `admin_notices_q` and answers 404.
The public pages need no permission at all.
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

    from .models import PublicNotice

NOTHING = Q(pk__in=[])

can_manage_calendar = has_role(Role.CALL_ADMIN, Role.SYSTEM_ADMIN)
is_notice_admin = has_role(Role.CALL_ADMIN)


def get_admin_city(user: AnyUser | None) -> Region | None:
    """The city whose public notices `user` administers, or None."""
    return get_city_of_user(user, role=Role.CALL_ADMIN)


def admin_notices_q(user: AnyUser, prefix: str = "") -> Q:
    """Q over PublicNotice (or, with `prefix` "notice__", over rows pointing at one) the user administers."""
    city = get_admin_city(user)
    if city is None:
        return NOTHING
    return Q(**{f"{prefix}call__city": city.pk})


@rules.predicate
def administers_notice(user: AnyUser, notice: PublicNotice | None) -> bool:
    city = get_admin_city(user)
    return notice is not None and city is not None and notice.call.city_id == city.pk


rules.add_perm("notices.manage_calendar", can_manage_calendar)
rules.add_perm("notices.manage_notices", is_notice_admin)
