"""Signal receivers: each only hands the signal to `record_event` (connected in AuditConfig.ready)."""

from django.contrib.auth import get_user_model

from .events import Event
from .models import AuditEntry
from .services import record_event


def on_user_logged_in(sender, request, user, **kwargs):
    record_event(event=Event.LOGIN, actor=user, target=user, request=request)


def on_user_logged_out(sender, request, user, **kwargs):
    record_event(event=Event.LOGOUT, actor=user, target=user, request=request)


def on_user_login_failed(sender, credentials, request=None, **kwargs):
    # Only the attempted user name: Django masks the password in `credentials`, but nothing else is needed.
    username = credentials.get(get_user_model().USERNAME_FIELD, "")
    record_event(
        event=Event.LOGIN_FAILED,
        request=request,
        result=AuditEntry.Result.FAILURE,
        details={"username": str(username)[:150]},
    )
