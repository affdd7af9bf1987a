"""Who may edit calls (申报通知编辑): the call administrator (技能办) of the call's city; declared once.

Every editor page fetches the call through `selectors.get_city_call(city=get_admin_city(user), …)`, so another
city's call — and any call for every other role — answers 404.
"""

import rules

from shenbao.accounts.roles import Role
from shenbao.accounts.rules import has_role
from shenbao.organisations.selectors import get_city_of_region


def get_admin_city(user):
    """The city whose calls `user` administers, or None."""
    if not (getattr(user, "is_authenticated", False) and user.is_active and user.organisation_id):
        return None
    if not user.has_role(Role.CALL_ADMIN):
        return None
    return get_city_of_region(user.organisation.region)


@rules.predicate
def administers_call(user, call):
    city = get_admin_city(user)
    return call is not None and city is not None and call.city_id == city.pk


rules.add_perm("calls.edit_calls", has_role(Role.CALL_ADMIN))
rules.add_perm("calls.edit_call", administers_call)
