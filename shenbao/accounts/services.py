"""Writes about users and roles. Every role grant goes through `grant_role`, which enforces ROLE_RULES
(the organisation must fit the role) and 三权分立 (an administrator role is held alone)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib.auth.password_validation import get_default_password_validators, validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from shenbao.audit.events import Event
from shenbao.audit.services import record_event

from .models import RoleGrant, User
from .roles import EXCLUSIVE_ROLES, ROLE_RULES, Role

if TYPE_CHECKING:
    from shenbao.organisations.models import Organisation


def _forget_cached_roles(user: User) -> None:
    user.__dict__.pop("roles", None)


def _labels(roles: Iterable[str]) -> str:
    return "、".join(str(Role(role).label) for role in sorted(roles))


def check_role_allowed(*, user: User, role: str, current_roles: Iterable[str]) -> None:
    """Raise ValidationError when `user` may not hold `role` beside `current_roles`."""
    role = Role(role)
    organisation = user.organisation
    if organisation is None:
        raise ValidationError(gettext("该用户未归属任何单位，不能授予角色。"), code="no_organisation")
    if not ROLE_RULES[role].allows(organisation):
        raise ValidationError(
            gettext("「%(name)s」（%(kind_display)s）的用户不能担任「%(label)s」。")
            % {"name": organisation.name, "kind_display": organisation.get_kind_display(), "label": role.label},
            code="organisation_mismatch",
        )
    others = set(current_roles) - {role}
    if role in EXCLUSIVE_ROLES and others:
        raise ValidationError(
            gettext("三权分立：「%(label)s」须单独担任，该用户已担任%(others)s。")
            % {"label": role.label, "others": _labels(others)},
            code="exclusive_role",
        )
    held_exclusive = others & EXCLUSIVE_ROLES
    if held_exclusive:
        raise ValidationError(
            gettext("三权分立：该用户已担任%(held_exclusive)s，不能再担任「%(label)s」。")
            % {"held_exclusive": _labels(held_exclusive), "label": role.label},
            code="exclusive_role",
        )


TWO_PERSON_MESSAGE = gettext_lazy(
    "三权分立：系统管理员、"
    "安全管理员和审计管理员角色的授予和撤销须由一位管理员申请、另一位管理员确认，"
    "请在「管理员角色」页面提交申请。"
)


def _check_two_person(role: str, acting_user: User | None, confirmed: bool) -> None:
    """An administrator role changes through a person only as a confirmed two-person change (`admin_roles`).

    `acting_user` None is the command line: the demo seed and the recorded break-glass procedure
    (`manage.py admin_role`), which audit and announce the change themselves.
    """
    if role in EXCLUSIVE_ROLES and acting_user is not None and not confirmed:
        raise ValidationError(TWO_PERSON_MESSAGE, code="two_person_rule")


def check_not_last_holder(*, user: User, role: str) -> None:
    """Refuse to take the last active holder's administrator role away: nobody could confirm its return."""
    if role not in EXCLUSIVE_ROLES:
        return
    others = RoleGrant.objects.filter(role=role, user__is_active=True).exclude(user=user)
    if not others.select_for_update().exists():
        raise ValidationError(
            gettext("「%(user)s」是唯一的「%(label)s」，不能撤销。") % {"user": user, "label": Role(role).label},
            code="last_holder",
        )


@transaction.atomic
def grant_role(*, user: User, role: str, granted_by: User | None = None, confirmed: bool = False) -> RoleGrant:
    """Grant `role` to `user`; granting a role already held returns the existing grant.

    An administrator role (三权分立) needs `confirmed=True` from `admin_roles` when a person grants it.
    """
    role = Role(role)
    _check_two_person(role, granted_by, confirmed)
    current = set(RoleGrant.objects.select_for_update().filter(user=user).values_list("role", flat=True))
    if role in current:
        return RoleGrant.objects.get(user=user, role=role)
    check_role_allowed(user=user, role=role, current_roles=current)
    try:
        with transaction.atomic():
            grant = RoleGrant.objects.create(user=user, role=role, granted_by=granted_by)
    except IntegrityError:
        grant = RoleGrant.objects.get(user=user, role=role)
    _forget_cached_roles(user)
    return grant


@transaction.atomic
def revoke_role(*, user: User, role: str, revoked_by: User | None = None, confirmed: bool = False) -> None:
    """Withdraw `role` from `user` (the audit trail records who did it through the request).

    An administrator role needs `confirmed=True` from `admin_roles` when a person revokes it, and its last
    holder keeps it.
    """
    role = Role(role)
    _check_two_person(role, revoked_by, confirmed)
    check_not_last_holder(user=user, role=role)
    deleted, _ = RoleGrant.objects.filter(user=user, role=role).delete()
    if not deleted:
        raise ValidationError(gettext("该用户未担任「%(label)s」，无需撤销。") % {"label": role.label}, code="not_held")
    _forget_cached_roles(user)


@transaction.atomic
def create_user(
    *,
    username: str,
    full_name: str,
    organisation: Organisation | None,
    password: str | None,
    roles: Iterable[str] = (),
    granted_by: User | None = None,
    email: str = "",
    phone: str = "",
    password_hash: str | None = None,
) -> User:
    """Create a user in one organisation with the given roles; all-or-nothing.

    `password=None` leaves the password unusable (the user sets one through password reset); `password_hash`
    sets a password already validated and hashed earlier (a registration confirmed by e-mail).
    """
    username = (username or "").strip()
    errors: dict[str, Any] = {}
    if not username:
        errors["username"] = gettext("请填写用户名。")
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = gettext("用户名「%(username)s」已被使用，请换一个。") % {"username": username}
    if organisation is None:
        errors["organisation"] = gettext("用户必须归属一个单位。")
    if errors:
        raise ValidationError(errors)

    user = User(
        username=username,
        full_name=(full_name or "").strip(),
        organisation=organisation,
        email=(email or "").strip(),
        phone=(phone or "").strip(),
        created_by=granted_by,
    )
    if password_hash is not None:
        user.password = password_hash
        user.password_changed_at = timezone.now()
    elif password is None:
        user.set_unusable_password()
    else:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from exc
        user.set_password(password)
        user.password_changed_at = timezone.now()
    user.full_clean(exclude=["password"])
    user.save()
    for role in roles:
        try:
            grant_role(user=user, role=role, granted_by=granted_by)
        except ValidationError as exc:
            raise ValidationError({"roles": exc.messages}) from exc
    return user


def validate_new_password(*, password: str, username: str, full_name: str = "", email: str = "") -> None:
    """The password validators' verdict on a password for an account not created yet (ValidationError), judged
    against the name and address it will carry (too similar is refused)."""
    validate_password(password or "", User(username=username, full_name=full_name or "", email=email or ""))


def set_password(*, user: User, password: str, reuse_allowed: bool = False) -> None:
    """Set a (validated) password and remember when, for the password-age policy.

    reuse_allowed: skip the password-history rule (only the demo seed, which restores its printed password).
    """
    validators = get_default_password_validators()
    if reuse_allowed:
        validators = [v for v in validators if not getattr(v, "remembers_passwords", False)]
    validate_password(password, user, password_validators=validators)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "password_changed_at"])
    record_event(event=Event.PASSWORD_CHANGE, target=user, details={"via": "set"})


def record_password_change(*, user: User, request: HttpRequest | None = None, via: str = "change") -> None:
    """Called after Django's password forms saved a new password (`via`: "change" or "reset"); audited."""
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password_changed_at"])
    record_event(event=Event.PASSWORD_CHANGE, actor=user, target=user, request=request, details={"via": via})
