"""Who sees and who manages funding (经费台账, 年度预算); declared once, used by selectors, services and views.

- The call administrator (市人社局技能办) of a city sees and manages the records of its city's calls and the
  city's appropriations.
- The applicant unit sees its own records, read-only (what is due, what was paid).
- Nobody else: another city's administrator, another unit, reviewers and the 三权分立 administrators get
  nothing (lists are empty, details answer 404).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules
from django.db.models import Q

from shenbao.accounts.roles import Role
from shenbao.accounts.rules import get_city_of_user, is_active_member

if TYPE_CHECKING:
    from shenbao.accounts.rules import AnyUser
    from shenbao.organisations.models import Region

    from .models import FundingRecord

NOTHING = Q(pk__in=[])


def administered_city(user: AnyUser | None) -> Region | None:
    """The city whose funding `user` administers (call administrator), or None."""
    return get_city_of_user(user, role=Role.CALL_ADMIN)


def visible_records_q(user: AnyUser, prefix: str = "") -> Q:
    """Q over FundingRecord (or, with `prefix` such as "record__", over a model pointing at it)."""
    if not is_active_member(user):
        return NOTHING
    query = NOTHING
    city = administered_city(user)
    if city is not None:
        query |= Q(**{f"{prefix}application__call__city": city.pk})
    if user.has_role(Role.APPLICANT):
        query |= Q(**{f"{prefix}application__unit": user.organisation_id})
    return query


@rules.predicate
def administers_city_funding(user: AnyUser) -> bool:
    return administered_city(user) is not None


@rules.predicate
def may_manage_record(user: AnyUser, record: FundingRecord | None) -> bool:
    """Records payments and reversals: the administrator of the city that issued the record's call."""
    if record is None:
        return False
    city = administered_city(user)
    return city is not None and city.pk == record.application.call.city_id


@rules.predicate
def may_view_funding(user: AnyUser) -> bool:
    """Has a funding page at all (the ledger list)."""
    return is_active_member(user) and bool(administers_city_funding(user) or user.has_role(Role.APPLICANT))


rules.add_perm("funding.view_ledger", may_view_funding)
rules.add_perm("funding.manage_record", may_manage_record)
rules.add_perm("funding.manage_budget", administers_city_funding)
