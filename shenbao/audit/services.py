"""Writing the audit trail for events that are not plain data changes (auditlog records those itself).

Log-in, log-out, failed log-in, exports and, in later features, workflow transitions go through
`record_event`. Entries are only ever inserted: there is no service to change or remove one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from auditlog.cid import get_cid
from django.contrib.auth import get_user_model
from django.db import models
from django.http import HttpRequest

from .models import AuditEntry, linked_at_end
from .network import client_ip, client_port

if TYPE_CHECKING:
    from shenbao.accounts.models import User

__all__ = ["linked_at_end", "record_event"]

# Keys never written to an entry, wherever they appear in `changes` or `details`.
SECRET_KEY_PARTS = ("password", "passwd", "secret", "token", "csrf", "otp")


def _without_secrets(data: Any) -> Any:
    if isinstance(data, dict):
        return {
            key: _without_secrets(value)
            for key, value in data.items()
            if not any(part in str(key).lower() for part in SECRET_KEY_PARTS)
        }
    if isinstance(data, list | tuple):
        return [_without_secrets(item) for item in data]
    return data


def _user_or_none(user: object) -> User | None:
    if isinstance(user, get_user_model()) and user.is_authenticated:
        return user
    return None


def record_event(
    *,
    event: str,
    actor: object = None,
    target: models.Model | None = None,
    request: HttpRequest | None = None,
    remote_addr: str | None = None,
    changes: Mapping[str, Any] | None = None,
    result: str = AuditEntry.Result.SUCCESS,
    details: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Append one audit entry (审计记录) for `event` and return it.

    actor: the user who acted; defaults to the request's signed-in user.
    target: the model instance concerned, if any.
    remote_addr: defaults to the request's client address (trusted-proxy rule of `shenbao.audit.network`);
        inside a request, AuditMiddleware's context sets the request's address on every entry anyway.
    changes: {field: [old, new]} for a workflow transition; details: any other JSON-able context.
    Keys that look like secrets (password, token …) are dropped from changes and details.
    """
    if not event or len(event) > AuditEntry._meta.get_field("event").max_length:
        raise ValueError(f"invalid audit event name: {event!r}")
    result = AuditEntry.Result(result)
    if request is not None:
        actor = actor or _user_or_none(getattr(request, "user", None))
        remote_addr = remote_addr or client_ip(request)
    acting = _user_or_none(actor)
    fields = {
        "event": event,
        "action": AuditEntry.Action.ACCESS,
        "result": result,
        "actor": acting,
        "actor_email": acting.email if acting else None,
        "remote_addr": remote_addr,
        "remote_port": client_port(request) if request is not None else None,
        "changes": _without_secrets(changes) or None,
        "additional_data": _without_secrets(details) or None,
        "cid": get_cid(),
    }
    if target is not None:
        return AuditEntry.objects.log_create(target, force_log=True, **fields)
    return AuditEntry.objects.create(content_type=None, object_pk="", object_repr="", **fields)
