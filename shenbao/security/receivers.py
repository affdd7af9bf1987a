"""Signal receivers: each only hands the signal to a service (connected in SecurityConfig.ready)."""

from . import lockout, sessions


def on_user_logged_in(sender, request, user, **kwargs):
    if request is not None:
        sessions.start_session(request=request, user=user)


def on_user_logged_out(sender, request, user, **kwargs):
    if request is not None:
        sessions.end_session_at_logout(request=request)


def on_user_locked_out(sender, request, username, ip_address=None, **kwargs):
    lockout.record_lockout(request=request, username=username)
