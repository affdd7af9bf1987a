"""Role predicates for every app, and the permissions on user administration.

Other apps reuse these: `from shenbao.accounts.rules import has_role, is_call_admin` and combine them
with their own object predicates (`is_call_admin | is_owner`). `AnyUser` is the type every app's predicates and
scoped selectors take: whoever makes a request, a signed-in `User` or Django's `AnonymousUser`;
`if user.is_authenticated:` narrows it to `User` for the type checker (django-stubs declares both as literals).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from shenbao.organisations.selectors import get_city_of_region

from .roles import Role

if TYPE_CHECKING:
    from typing import TypeGuard

    from django.contrib.auth.models import AnonymousUser

    from shenbao.organisations.models import Region

    from .models import User

type AnyUser = User | AnonymousUser


def is_active_member(user: AnyUser | None) -> TypeGuard[User]:
    """A signed-in, active account that belongs to an organisation: the start of every staff or unit rule."""
    return user is not None and user.is_authenticated and user.is_active and user.organisation_id is not None


def has_role(*roles: str) -> rules.Predicate:
    """A predicate true when the user holds any of `roles`."""
    names = ",".join(sorted(str(role) for role in roles))

    @rules.predicate(name=f"has_role:{names}")
    def _has_role(user: AnyUser | None) -> bool:
        return user is not None and user.is_authenticated and bool(user.has_role(*roles))

    return _has_role


def get_city_of_user(user: AnyUser | None, *, role: str | None = None) -> Region | None:
    """The city (地级市) `user` acts for — that of their organisation's region — when the account is active and,
    if `role` is given, holds it; else None. Every city-wide scope (the call administrator's calls, experts,
    funding, notices; an applicant's open calls) starts from this one answer."""
    if user is None or not user.is_authenticated or not (user.is_active and user.organisation_id):
        return None
    if role is not None and not user.has_role(role):
        return None
    organisation = user.organisation
    return None if organisation is None else get_city_of_region(organisation.region)


is_applicant = has_role(Role.APPLICANT)
is_county_reviewer = has_role(Role.COUNTY_REVIEWER)
is_department_reviewer = has_role(Role.DEPARTMENT_REVIEWER)
is_first_reviewer = has_role(Role.COUNTY_REVIEWER, Role.DEPARTMENT_REVIEWER)
is_city_reviewer = has_role(Role.CITY_REVIEWER)
is_call_admin = has_role(Role.CALL_ADMIN)
is_expert = has_role(Role.EXPERT)
is_consulted_department = has_role(Role.CONSULTED_DEPARTMENT)
is_system_admin = has_role(Role.SYSTEM_ADMIN)
is_security_admin = has_role(Role.SECURITY_ADMIN)
is_audit_admin = has_role(Role.AUDIT_ADMIN)

rules.add_perm("accounts.view_user_list", is_system_admin | is_security_admin)
rules.add_perm("accounts.manage_users", is_system_admin)
# 三权分立: any of the three administrators may request, confirm or reject a change to their roles (admin_roles
# decides who may confirm what); nobody else sees the page.
rules.add_perm("accounts.change_admin_roles", is_system_admin | is_security_admin | is_audit_admin)
# Who may read the audit trail: the audit administrator alone (三权分立). Declared here with the roles because the
# audit app sits below accounts (every app, accounts too, records events through it). Checked with
# `rules.has_perm`, not `user.has_perm`: Django's ModelBackend would let a superuser in.
rules.add_perm("audit.browse_auditentry", is_audit_admin)


@rules.predicate
def is_applicant_of_active_unit(user: AnyUser | None) -> bool:
    """An applicant (申报单位经办人) whose unit is an active applicant unit: may invite colleagues of that unit."""
    unit = getattr(user, "organisation", None)
    return bool(is_applicant(user) and unit is not None and unit.is_applicant_unit and unit.is_active)


rules.add_perm("accounts.invite_colleagues", is_applicant_of_active_unit)
