"""Who may score, read, reopen and rank; declared once, used by selectors (lists and 404 look-ups) and services.

- An expert (评审专家) sees only their own ACTIVE assignments, their application and materials, and their own
  sheet; never another expert's scores (not even the panel chair sees points: only who has submitted).
- The panel chair (组长) sees the progress of their panel and reopens another expert's submitted sheet.
- The call administrator (技能办) of the city that issued the call sees every panel's progress, reopens any
  sheet, prints any score sheet, reminds late experts, ranks and proposes.
Everyone else sees nothing here: objects outside these scopes answer 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules
from django.db.models import Q

from shenbao.accounts.roles import Role
from shenbao.accounts.rules import get_city_of_user, is_active_member
from shenbao.experts.selectors import list_active_assignments

if TYPE_CHECKING:
    from typing import TypeGuard

    from shenbao.accounts.models import User
    from shenbao.accounts.rules import AnyUser
    from shenbao.experts.models import Panel

NOTHING = Q(pk__in=[])


def administered_city_id(user: AnyUser | None) -> int | None:
    """The city `user` administers calls of (call administrator), else None."""
    city = get_city_of_user(user, role=Role.CALL_ADMIN)
    return city.pk if city else None


def is_expert_user(user: AnyUser | None) -> TypeGuard[User]:
    return is_active_member(user) and bool(user.has_role(Role.EXPERT))


def administered_panels_q(user: AnyUser, prefix: str = "") -> Q:
    city = administered_city_id(user)
    return Q(**{f"{prefix}call__city": city}) if city else NOTHING


def chaired_panels_q(user: AnyUser, prefix: str = "") -> Q:
    return Q(**{f"{prefix}chair": user.pk}) if is_expert_user(user) else NOTHING


def visible_panels_q(user: AnyUser, prefix: str = "") -> Q:
    """Panels whose progress `user` may follow: the administrator's city's, or the ones `user` chairs."""
    return administered_panels_q(user, prefix) | chaired_panels_q(user, prefix)


def own_sheets_q(user: AnyUser) -> Q:
    """Sheets of `user`'s own active assignments (the one rule of the experts app, `own_assignments_q`)."""
    return Q(assignment__in=list_active_assignments(expert=user).values("pk"))


def printable_sheets_q(user: AnyUser) -> Q:
    """Sheets whose content (points) `user` may read: the expert's own, or any of the administrator's city."""
    return own_sheets_q(user) | administered_panels_q(user, "assignment__panel__")


def reopenable_sheets_q(user: AnyUser) -> Q:
    """Sheets `user` may reopen: the administrator's city's; the chair's panel's, except the chair's own sheet."""
    if not is_active_member(user):
        return NOTHING
    chaired = chaired_panels_q(user, "assignment__panel__") & ~Q(assignment__expert=user.pk)
    return administered_panels_q(user, "assignment__panel__") | chaired


@rules.predicate
def administers_panel(user: AnyUser, panel: Panel | None) -> bool:
    if panel is None:
        return False
    city = administered_city_id(user)
    return city is not None and city == panel.call.city_id


@rules.predicate
def chairs_panel(user: AnyUser, panel: Panel | None) -> bool:
    return panel is not None and is_expert_user(user) and panel.chair_id == user.pk


@rules.predicate
def may_reopen_in_panel(user: AnyUser, panel: Panel | None) -> bool:
    """Shows the reopen buttons of a progress page (the service checks `reopenable_sheets_q` again)."""
    return bool(administers_panel(user, panel) or chairs_panel(user, panel))


rules.add_perm("scoring.remind_panel", administers_panel)
rules.add_perm("scoring.reopen_in_panel", may_reopen_in_panel)
