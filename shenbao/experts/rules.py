"""Who may manage the expert pool, panels and the 答辩 schedule, who counts as an application's expert, and
which experts may review a unit at all (回避).

The call administrator (技能办) manages the experts, panels and sessions of its own city; the Q builders below
are the one scoping rule, used by the list pages, by the detail pages (outside: 404) and by the predicates.
An expert sees only their own assignments (`own_assignments_q`, used by the scoring pages too).

`pool_experts_q` and `unit_conflict` are the one statement of who may review a unit's application: the panel
assignment (`assignment`) and the acceptance evaluation (`acceptance.reviews`, through
`selectors.list_conflict_free_experts`) both use them.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from typing import TYPE_CHECKING

import rules
from django.db.models import Q
from django.utils.translation import gettext as _

from shenbao.accounts.roles import Role
from shenbao.accounts.rules import get_city_of_user, is_active_member

from .models import Assignment

if TYPE_CHECKING:
    from shenbao.accounts.rules import AnyUser
    from shenbao.organisations.models import Organisation, Region

    from .models import Panel


NOTHING = Q(pk__in=[])


def administered_city(user: AnyUser | None) -> Region | None:
    """The city whose experts and panels `user` manages as call administrator, or None."""
    return get_city_of_user(user, role=Role.CALL_ADMIN)


def managed_experts_q(user: AnyUser) -> Q:
    """Q on ExpertProfile: the pool of the administrator's city."""
    city = administered_city(user)
    return Q(city=city.pk) if city is not None else NOTHING


def managed_panels_q(user: AnyUser, prefix: str = "") -> Q:
    """Q on Panel (or, with `prefix`, on a model reaching a panel): panels of the administrator's city's calls."""
    city = administered_city(user)
    return Q(**{f"{prefix}call__city": city.pk}) if city is not None else NOTHING


def own_assignments_q(user: AnyUser) -> Q:
    """Q on Assignment: the expert's own active assignments."""
    if not is_active_member(user) or not user.has_role(Role.EXPERT):
        return NOTHING
    return Q(expert=user.pk, status=Assignment.Status.ACTIVE)


# --- who may review a unit (回避) ------------------------------------------------------------------------------------


def pool_experts_q(prefix: str = "") -> Q:
    """Q on User (with `prefix`, on a model reaching one): experts of the pool who can take new work.

    An active log-in, an ExpertProfile still in the pool (在库), and the expert role still held.
    """
    return Q(
        **{
            f"{prefix}is_active": True,
            f"{prefix}expert_profile__active": True,
            f"{prefix}role_grants__role": Role.EXPERT,
        }
    )


@dataclass(frozen=True)
class PoolExpert:
    """What the conflict rules need of an expert: the user and its profile's work unit and county."""

    user_id: int
    work_unit_id: int
    region_id: int


def unit_conflict(
    *, expert: PoolExpert, unit: Organisation, relations: Container[tuple[int, int]], exclude_same_county: bool
) -> str:
    """Why `expert` (a PoolExpert) may not review an application of `unit` (回避), in Chinese, or "" if they may.

    `relations` holds the (expert user id, organisation id) pairs of declared relations (ExpertRelation).
    """
    if expert.work_unit_id == unit.pk:
        return _("专家工作单位即申报单位")
    if (expert.user_id, unit.pk) in relations:
        return _("专家已申报与申报单位存在利害关系")
    if exclude_same_county and expert.region_id == unit.region_id:
        return _("专家与申报单位属同一县（市、区）")
    return ""


def manages_panel(user: AnyUser, panel: Panel | None) -> bool:
    """`panel` belongs to a call of the city `user` administers (the assignment workflow's swap step checks it)."""
    city = administered_city(user)
    return panel is not None and city is not None and panel.call.city_id == city.pk


is_call_admin_of_city = rules.predicate(lambda user: administered_city(user) is not None, name="is_call_admin_of_city")

# The expert's own pages (my assignments, 回避): any signed-in expert; each assignment is then scoped to them.
is_expert = rules.predicate(lambda user: user.is_authenticated and user.has_role(Role.EXPERT), name="is_expert")

rules.add_perm("experts.manage_pool", is_call_admin_of_city)
rules.add_perm("experts.view_own_assignments", is_expert)
