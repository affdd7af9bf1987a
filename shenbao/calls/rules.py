"""Who may edit calls (申报通知编辑): the call administrator (技能办) of the call's city; declared once.

Every editor page fetches the call through `selectors.get_city_call(city=get_admin_city(user), …)`, so another
city's call — and any call for every other role — answers 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from shenbao.accounts.roles import Role
from shenbao.accounts.rules import get_city_of_user, has_role

if TYPE_CHECKING:
    from shenbao.accounts.rules import AnyUser
    from shenbao.organisations.models import Region

    from .models import Call


def get_admin_city(user: AnyUser | None) -> Region | None:
    """The city whose calls `user` administers, or None."""
    return get_city_of_user(user, role=Role.CALL_ADMIN)


@rules.predicate
def administers_call(user: AnyUser, call: Call | None) -> bool:
    city = get_admin_city(user)
    return call is not None and city is not None and call.city_id == city.pk


rules.add_perm("calls.edit_calls", has_role(Role.CALL_ADMIN))
