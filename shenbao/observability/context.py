"""What the current request or task is, for log lines and audit entries: its request id and, once known, its user.

Plain context variables (stdlib only), so the log formatter can read them in any process, gunicorn's master
included, without importing Django. Each thread and each request starts from the defaults.
"""

import re
import uuid
from contextvars import ContextVar, Token

# What a proxy may hand us as X-Request-ID: nginx's $request_id (32 hex), a UUID, or any short id of these
# characters. Anything else (spaces, quotes, control characters, overlong values) could forge or break log lines.
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._-]{8,128}")

request_id: ContextVar[str | None] = ContextVar("shenbao_request_id", default=None)
user_id: ContextVar[int | None] = ContextVar("shenbao_user_id", default=None)


def new_request_id() -> str:
    return uuid.uuid4().hex


def is_valid_request_id(value: str | None) -> bool:
    return bool(value) and REQUEST_ID_PATTERN.fullmatch(value or "") is not None


def current_request_id() -> str | None:
    """The request (or task) being served: django-auditlog's correlation id getter (`AUDITLOG_CID_GETTER`)."""
    return request_id.get()


def bind_request_id(value: str) -> Token[str | None]:
    return request_id.set(value)


def forget_request(**kwargs: object) -> None:
    """The request is over (Django's `request_finished`): later lines of this thread belong to no request."""
    request_id.set(None)
    user_id.set(None)
