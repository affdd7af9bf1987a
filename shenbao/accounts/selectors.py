"""Reads about users, and the one rule that decides which accounts a user may see (`visible_users_q`)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from shenbao.organisations.selectors import list_visible_organisations

from .models import RoleGrant, User
from .roles import Role

if TYPE_CHECKING:
    from shenbao.organisations.models import Organisation

NOTHING = Q(pk__in=[])


def not_activated_q() -> Q:
    """Q on User: active accounts created for someone who has not set a password yet (未激活)."""
    return Q(is_active=True, password__startswith=UNUSABLE_PASSWORD_PREFIX)


def visible_users_q(user: User) -> Q:
    """Q on User: the accounts `user` may see. The platform's system and security administrators look after every
    account; anyone else sees the accounts of the organisations they may see (`visible_organisations_q`), so
    another organisation's account answers 404."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    if user.is_superuser or user.has_role(Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN):
        return Q()
    return Q(organisation__in=list_visible_organisations(user=user).values("pk"))


def list_users(
    *,
    user: User,
    query: str = "",
    role: str = "",
    organisation_public_id: uuid.UUID | str | None = None,
    not_activated: bool = False,
) -> QuerySet[User]:
    """Users for the administration list (scoped to `user`), with organisation and role grants loaded in a fixed
    number of queries."""
    users = (
        User.objects.filter(visible_users_q(user))
        .select_related("organisation")
        .prefetch_related("role_grants")
        .order_by("username")
    )
    if query:
        query = query.strip()
        users = users.filter(
            Q(username__icontains=query) | Q(full_name__icontains=query) | Q(organisation__name__icontains=query)
        )
    if role:
        users = users.filter(role_grants__role=role)
    if organisation_public_id:
        users = users.filter(organisation__public_id=organisation_public_id)
    if not_activated:
        users = users.filter(not_activated_q())
    return users


def holding_role_q(*roles: str) -> Q:
    """Q on User: accounts that hold any of `roles`."""
    return Q(pk__in=RoleGrant.objects.filter(role__in=roles).values("user"))


def filter_users(*, query: Q) -> QuerySet[User]:
    """Accounts matching `query`, a Q another app's rules build on User (its own relations to people: an expert
    pool, a panel's members), unordered."""
    return User.objects.filter(query)


def list_active_users(*, query: Q) -> QuerySet[User]:
    """Active accounts matching `query` (built from `holding_role_q` and organisation filters), in id order: the
    people a notification or reminder goes to."""
    return filter_users(query=query & Q(is_active=True)).order_by("pk")


def map_users(*, ids: Iterable[int]) -> dict[int, User]:
    """{id: account} for `ids` (one query)."""
    return User.objects.in_bulk(list(ids))


def list_usernames_starting(*, prefix: str) -> set[str]:
    """Every user name that starts with `prefix`, in any letter case (picking the next free generated name)."""
    return set(User.objects.filter(username__istartswith=prefix).values_list("username", flat=True).iterator())


def is_username_taken(*, username: str) -> bool:
    """Some account already has this user name, in any letter case (user names are unique case-insensitively)."""
    return User.objects.filter(username__iexact=username).exists()


def find_user_by_username(*, username: str, ignore_case: bool = False) -> User | None:
    """The account with this user name (exactly, or in any letter case), or None."""
    lookup = "username__iexact" if ignore_case else "username"
    return User.objects.filter(**{lookup: username}).first()


def get_user_by_username(*, username: str) -> User:
    """The account with exactly this user name, with its organisation; User.DoesNotExist otherwise."""
    return User.objects.select_related("organisation").get(username=username)


def list_users_named(*, usernames: Iterable[str]) -> QuerySet[User]:
    """The accounts with these user names, with their organisation and region, by user name."""
    return User.objects.filter(username__in=list(usernames)).select_related("organisation__region").order_by("username")


def list_active_superuser_names(*, limit: int = 50) -> list[str]:
    """The user names of the active superusers (the security policy page lists them)."""
    return list(
        User.objects.filter(is_superuser=True, is_active=True)
        .order_by("username")[:limit]
        .values_list("username", flat=True)
    )


def lock_user(*, user: User) -> None:
    """Take the account's row lock (SELECT … FOR UPDATE) for the rest of the transaction, so two writes about the
    same person (enrolling a second factor twice at once) run one after the other."""
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))


def get_visible_user(*, user: User, public_id: uuid.UUID) -> User:
    """An account `user` may see, else User.DoesNotExist (views answer 404)."""
    return User.objects.filter(visible_users_q(user)).select_related("organisation").get(public_id=public_id)


def list_role_grants(*, user: User) -> QuerySet[RoleGrant]:
    """The roles `user` holds, with who granted each, in role order."""
    return user.role_grants.select_related("granted_by").order_by("role")


def find_active_user(*, public_id: str) -> User | None:
    """The active account a password-reset link names by its public id (hex), or None for a malformed or unknown
    id: the link is its own authority, so no user scope applies."""
    try:
        return User.objects.get(public_id=uuid.UUID(hex=public_id), is_active=True)
    except (ValueError, User.DoesNotExist):
        return None


def get_acting_organisation(*, user: User) -> Organisation:
    """The organisation `user` acts for when a row records it (a review decision, say). Every business role is held
    in one and the permission checks ask for it, so an account without one is refused rather than recorded blank."""
    if user.organisation is None:
        raise PermissionDenied(_("该账号未归属任何单位，不能办理此事项。"))
    return user.organisation


def get_user(*, public_id: uuid.UUID | str) -> User:
    return User.objects.select_related("organisation").get(public_id=public_id)


def list_users_to_activate_by_email(*, email: str) -> QuerySet[User]:
    """Not-yet-activated accounts whose log-in e-mail is `email` (the password-reset page sends them a link)."""
    if not email:
        return User.objects.none()
    return User.objects.filter(not_activated_q(), email__iexact=email.strip())


def build_acting_user(*, organisation: Organisation, role: str, name: str) -> User:
    """An account of `organisation` holding exactly `role`, in memory only: what a caller without a person (a
    service account of the API) acts as, so every scoped selector and `rules` predicate answers for it exactly as
    for a staff member of that body and role. Never saved: it cannot log in, receive mail, or appear in a list."""
    user = User(username=name, full_name=name, organisation=organisation, is_active=True)
    user.__dict__["roles"] = frozenset({Role(role)})  # the `roles` cached_property, without a RoleGrant row
    return user
