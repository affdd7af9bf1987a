"""Log-in lock-out (登录失败处理) on top of django-axes, and unlocking by the security administrator.

Configuration (settings `AXES_*`, explained in docs/SECURITY.md): 5 failed log-ins for one user name lock that
user name for 15 minutes counted from the 5th failure; attempts during the lock-out are refused without being
counted (so an attacker cannot keep a user locked for ever by continuing), and a successful log-in clears the
count. The lock is per user name, not per address: the county bureaus reach the platform through shared NAT
addresses, where an address lock would shut out a whole office because of one mistyping colleague.
"""

from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from shenbao.accounts.selectors import find_user_by_username
from shenbao.audit.events import Event
from shenbao.audit.models import AuditEntry
from shenbao.audit.services import record_event

from .policy import lockout_cooloff


@dataclass(frozen=True)
class Lockout:
    username: str
    failures: int
    last_failure: datetime
    locked_until: datetime


# --- reads --------------------------------------------------------------------------------------------------------


def _current_attempts(now):
    return AccessAttempt.objects.filter(attempt_time__gte=now - lockout_cooloff())


def list_lockouts(*, now=None):
    """User names locked out now, most recent first; one query (grouped in the database)."""
    now = now or timezone.now()
    rows = (
        _current_attempts(now)
        .exclude(username=None)
        .values("username")
        .annotate(failures=Sum("failures_since_start"), last_failure=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last_failure", "username")
    )
    return [
        Lockout(
            username=row["username"],
            failures=row["failures"],
            last_failure=row["last_failure"],
            locked_until=row["last_failure"] + lockout_cooloff(),
        )
        for row in rows
    ]


def is_locked_out(*, username, now=None):
    now = now or timezone.now()
    failures = _current_attempts(now).filter(username=username).aggregate(total=Sum("failures_since_start"))
    return (failures["total"] or 0) >= settings.AXES_FAILURE_LIMIT


# --- writes -------------------------------------------------------------------------------------------------------


def record_lockout(*, request, username):
    """Audit the moment a user name becomes locked (django-axes' user_locked_out signal)."""
    # axes also signals each refused attempt during a lock-out; only the failure that locks sets this count
    # (the refused attempts are already in the trail as failed log-ins).
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is None:
        return None
    return record_event(
        event=Event.LOCKOUT,
        target=find_user_by_username(username=username),
        request=request,
        result=AuditEntry.Result.FAILURE,
        details={
            "username": str(username or "")[:150],
            "failures": failures,
            "locked_minutes": int(lockout_cooloff().total_seconds() // 60),
        },
    )


@transaction.atomic
def unlock(*, username, actor, request=None):
    """解除锁定 (security administrator only): forget the user name's failed attempts."""
    username = (username or "").strip()
    if not username or not is_locked_out(username=username):
        raise ValidationError(_("用户名「%(username)s」当前未被锁定。") % {"username": username}, code="not_locked")
    removed = axes_reset(username=username)
    record_event(
        event=Event.UNLOCK,
        actor=actor,
        target=find_user_by_username(username=username),
        request=request,
        details={"username": username[:150], "attempts_removed": removed},
    )
    return removed
