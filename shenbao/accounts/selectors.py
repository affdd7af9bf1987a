"""Reads about users."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from .models import User

if TYPE_CHECKING:
    from shenbao.organisations.models import Organisation


def not_activated_q() -> Q:
    """Q on User: active accounts created for someone who has not set a password yet (未激活)."""
    return Q(is_active=True, password__startswith=UNUSABLE_PASSWORD_PREFIX)


def list_users(
    *,
    query: str = "",
    role: str = "",
    organisation_public_id: uuid.UUID | str | None = None,
    not_activated: bool = False,
) -> QuerySet[User]:
    """Users for the administration list, with organisation and role grants loaded in a fixed number of queries."""
    users = User.objects.select_related("organisation").prefetch_related("role_grants").order_by("username")
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
