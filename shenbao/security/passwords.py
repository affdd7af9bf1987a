"""Password policy (口令策略, GB/T 22239-2019 identity controls): composition, history and age.

The validators are Django password validators (AUTH_PASSWORD_VALIDATORS), so every form and service that calls
`validate_password` applies them. The history is written through the validators' `password_changed` hook, which
Django calls whenever a password set with `set_password` is saved — the change form, the reset form, user
creation, registration and the demo seed alike — so no code path can forget it.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import PasswordHistory
from .policy import requires_strong_auth


def character_classes(password):
    """How many of the four classes (大写字母, 小写字母, 数字, 符号) the password uses; anything else is a symbol."""
    upper = lower = digit = symbol = False
    for char in password:
        if char.isupper():
            upper = True
        elif char.islower():
            lower = True
        elif char.isdigit():
            digit = True
        else:
            symbol = True
    return upper + lower + digit + symbol


class CharacterClassValidator:
    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字、符号中的至少 %(min_classes)d 类。"),
                code="password_too_few_classes",
                params={"min_classes": self.min_classes},
            )

    def get_help_text(self):
        return _("密码须包含大写字母、小写字母、数字、符号中的至少 %(min_classes)d 类。") % {
            "min_classes": self.min_classes
        }


class UsernameValidator:
    """The password must not contain the user name, in any letter case."""

    def validate(self, password, user=None):
        username = (getattr(user, "username", "") or "").strip()
        if username and username.casefold() in password.casefold():
            raise ValidationError(_("密码不能包含用户名。"), code="password_contains_username")

    def get_help_text(self):
        return _("密码不能包含用户名（不区分大小写）。")


class PasswordHistoryValidator:
    """Not one of the last `count` passwords, the current one included."""

    remembers_passwords = True

    def __init__(self, count=5):
        self.count = count

    def _recent_hashes(self, user):
        # The current password counts even when it was set before the history existed (or by a fixture).
        hashes = [user.password] if user.password else []
        stored = PasswordHistory.objects.filter(user=user).order_by("-created_at", "-id")
        for encoded in stored.values_list("password", flat=True)[: self.count]:
            if encoded not in hashes:
                hashes.append(encoded)
        return hashes[: self.count]

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        if any(check_password(password, encoded) for encoded in self._recent_hashes(user)):
            raise ValidationError(
                _("新密码不能与最近 %(count)d 次使用过的密码相同。"),
                code="password_reused",
                params={"count": self.count},
            )

    def password_changed(self, password, user=None):
        if user is None or user.pk is None or not user.password:
            return
        PasswordHistory.objects.create(user=user, password=user.password)
        stale = PasswordHistory.objects.filter(user=user).order_by("-created_at", "-id").values_list("id", flat=True)
        stale_ids = list(stale[self.count :])
        if stale_ids:
            PasswordHistory.objects.filter(id__in=stale_ids).delete()

    def get_help_text(self):
        return _("不能与最近 %(count)d 次使用过的密码相同。") % {"count": self.count}


def password_expires_at(user):
    """When the password stops being accepted without a change, or None when it never expires."""
    days = settings.SHENBAO_PASSWORD_MAX_AGE_DAYS
    if not days:
        return None
    changed = user.password_changed_at or user.date_joined
    return changed + timedelta(days=days)


def is_password_expired(user, *, now=None):
    """True when a staff member's, expert's or administrator's password is `SHENBAO_PASSWORD_MAX_AGE_DAYS` old."""
    if not getattr(user, "is_authenticated", False) or not user.has_usable_password():
        return False
    expires = password_expires_at(user)
    if expires is None or (now or timezone.now()) < expires:
        return False
    # Checked last: it is the only part that may need a query (the user's roles).
    return requires_strong_auth(user)
