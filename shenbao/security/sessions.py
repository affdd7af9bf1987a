"""Signed-in sessions (会话管理): tracking, the idle timeout, and termination by the security administrator.

The session data stays in Django's session store (database engine); a `UserSession` row per log-in makes the
sessions listable by user without decoding the store. Each session carries three keys of its own:
the row's public id, the store key the row knows, and the time of the last request (for the idle timeout).
Django gives a session a new key at log-in and at a password change; `sync_session_key` follows the change.
"""

import time
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from shenbao.audit.events import Event
from shenbao.audit.network import client_ip
from shenbao.audit.services import record_event

from .models import UserSession
from .policy import idle_timeout

TRACK_ID = "_shenbao_session"
TRACK_KEY = "_shenbao_session_key"
LAST_ACTIVITY = "_shenbao_last_activity"


def _store():
    return import_module(settings.SESSION_ENGINE).SessionStore()


# --- writes -------------------------------------------------------------------------------------------------------


def start_session(*, request, user):
    """Register the session a log-in has just opened (called from the user_logged_in signal)."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    if session.session_key is None:
        session.save()
    row = UserSession.objects.create(
        user=user,
        session_key=session.session_key,
        started_at=timezone.now(),
        remote_addr=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:255],
    )
    session[TRACK_ID] = str(row.public_id)
    session[TRACK_KEY] = session.session_key
    session[LAST_ACTIVITY] = int(time.time())
    return row


def _close(public_id, *, reason, by=None):
    return UserSession.objects.filter(public_id=public_id, ended_at__isnull=True).update(
        ended_at=timezone.now(), end_reason=reason, ended_by=by
    )


def end_session_at_logout(*, request):
    session = getattr(request, "session", None)
    if session is not None and session.get(TRACK_ID):
        _close(session[TRACK_ID], reason=UserSession.EndReason.LOGOUT)


def sync_session_key(request):
    """After Django gave the session a new key (password change), point the row at it. No query otherwise."""
    session = getattr(request, "session", None)
    if session is None or not session.get(TRACK_ID) or session.session_key is None:
        return
    if session.get(TRACK_KEY) != session.session_key:
        UserSession.objects.filter(public_id=session[TRACK_ID]).update(session_key=session.session_key)
        session[TRACK_KEY] = session.session_key


# The last request's time is written to the session store at most once a minute: writing it on every request made
# every signed-in page an UPDATE and a commit (issue 18). The timeout is therefore counted from the last recorded
# minute: a session may end up to a minute before SHENBAO_SESSION_IDLE_TIMEOUT of true idleness, never after it.
ACTIVITY_RESOLUTION = 60


def touch(request):
    """Record the request's time as the session's last activity, if the recorded one is a minute old or more.

    The write also renews the store's expiry (SESSION_COOKIE_AGE), as SESSION_SAVE_EVERY_REQUEST did before."""
    now = int(time.time())
    last = request.session.get(LAST_ACTIVITY)
    if last is None or now - last >= ACTIVITY_RESOLUTION:
        request.session[LAST_ACTIVITY] = now


def idle_for(request, *, now=None):
    """Seconds since the session's last request, or None for a session that never recorded one."""
    last = request.session.get(LAST_ACTIVITY)
    if last is None:
        return None
    return (now if now is not None else time.time()) - last


@transaction.atomic
def end_idle_session(*, request):
    """超时退出: the session was unused for the idle timeout; end it and leave the visitor anonymous."""
    user = request.user
    record_event(
        event=Event.SESSION_TIMEOUT,
        actor=user,
        target=user,
        request=request,
        details={"idle_minutes": int(idle_timeout().total_seconds() // 60)},
    )
    if request.session.get(TRACK_ID):
        _close(request.session[TRACK_ID], reason=UserSession.EndReason.IDLE)
    request.session.flush()
    request.user = AnonymousUser()


@transaction.atomic
def terminate_session(*, tracked, actor, request=None):
    """终止会话: the security administrator ends somebody's session; its next request is anonymous."""
    _store().delete(tracked.session_key)
    _close(tracked.public_id, reason=UserSession.EndReason.TERMINATED, by=actor)
    record_event(
        event=Event.SESSION_TERMINATE,
        actor=actor,
        target=tracked.user,
        request=request,
        details={"session": str(tracked.public_id), "started_at": tracked.started_at.isoformat()},
    )


# --- reads --------------------------------------------------------------------------------------------------------


def list_active_sessions(*, now=None):
    """Sessions still open: in the store and used within the idle timeout; one query however many there are.

    The database session store moves `expire_date` to now + SESSION_COOKIE_AGE whenever the session is written, and
    `touch` writes it when it records activity (once a minute at most), so the last activity is
    `expire_date - SESSION_COOKIE_AGE` to the minute.
    """
    now = now or timezone.now()
    age = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    expires = Session.objects.filter(session_key=OuterRef("session_key")).values("expire_date")[:1]
    return (
        UserSession.objects.filter(ended_at__isnull=True)
        .annotate(store_expires=Subquery(expires))
        .filter(store_expires__gt=now + age - idle_timeout())
        .select_related("user", "user__organisation")
        .order_by("-started_at", "-id")
    )


def last_activity(tracked):
    """The last request of a session listed by `list_active_sessions`."""
    return tracked.store_expires - timedelta(seconds=settings.SESSION_COOKIE_AGE)


def get_active_session(*, public_id):
    return list_active_sessions().get(public_id=public_id)
