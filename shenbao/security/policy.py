"""Who the stricter identity rules apply to, and the policy as configured (安全策略), read from the settings.

Password expiry and the second factor apply to everybody who works *in* the platform: every role except the
applicant unit's clerk (申报单位经办人) — reviewers, administrators of the call, experts, consulted departments and
the three administrators — and to a Django superuser, should one exist.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import get_default_password_validators

from shenbao.accounts.roles import Role


def requires_strong_auth(user):
    """True for staff, experts and administrators (every role except the applicant), and superusers."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or (set(user.roles) - {Role.APPLICANT}))


def second_factor_required(user):
    return bool(settings.SHENBAO_REQUIRE_SECOND_FACTOR) and requires_strong_auth(user)


def idle_timeout():
    return timedelta(seconds=settings.SHENBAO_SESSION_IDLE_TIMEOUT)


def lockout_cooloff():
    return settings.AXES_COOLOFF_TIME


@dataclass(frozen=True)
class ActivePolicy:
    """What the security policy page shows: every number comes from the running configuration."""

    min_length: int | None
    min_classes: int | None
    history_count: int | None
    forbids_username: bool
    max_age_days: int | None
    failure_limit: int
    cooloff_minutes: int
    lockout_parameters: tuple
    idle_timeout_minutes: int
    second_factor_required: bool
    superuser_refused: bool
    validators: tuple


def _option(validators, class_name, attribute):
    for validator in validators:
        if type(validator).__name__ == class_name:
            return getattr(validator, attribute)
    return None


def active_policy():
    validators = get_default_password_validators()
    return ActivePolicy(
        min_length=_option(validators, "MinimumLengthValidator", "min_length"),
        min_classes=_option(validators, "CharacterClassValidator", "min_classes"),
        history_count=_option(validators, "PasswordHistoryValidator", "count"),
        forbids_username=any(type(v).__name__ == "UsernameValidator" for v in validators),
        max_age_days=settings.SHENBAO_PASSWORD_MAX_AGE_DAYS or None,
        failure_limit=settings.AXES_FAILURE_LIMIT,
        cooloff_minutes=int(lockout_cooloff().total_seconds() // 60),
        lockout_parameters=tuple(settings.AXES_LOCKOUT_PARAMETERS),
        idle_timeout_minutes=int(idle_timeout().total_seconds() // 60),
        second_factor_required=bool(settings.SHENBAO_REQUIRE_SECOND_FACTOR),
        superuser_refused=bool(settings.SHENBAO_REFUSE_SUPERUSER),
        validators=tuple(str(v.get_help_text()) for v in validators),
    )
