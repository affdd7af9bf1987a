"""Error reports to a Sentry-compatible service (optional: SENTRY_DSN), without personal data.

Mail to ADMINS needs nothing here: `logs.logging_config` routes Django's errors to AdminEmailHandler. For the
DSN: no default PII (no cookies, user, address), no request bodies, no local variables, and every string of the
event is scrubbed of 身份证号码 and mobile numbers before it leaves (exception messages and log breadcrumbs can
quote them). Each event is tagged with the request id, so it can be matched with the log lines and the audit
entries of the same request.
"""

import re
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings

from . import context

if TYPE_CHECKING:
    from sentry_sdk.types import Breadcrumb, BreadcrumbHint, Event, Hint

ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])\d{2}\d{3}[\dXx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d{9}(?!\d)")
REDACTED = "[已隐去]"


def scrub_text(text: str) -> str:
    return MOBILE.sub(REDACTED, ID_NUMBER.sub(REDACTED, text))


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {key: _scrub(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(item) for item in value]
    return value


def before_send(event: "Event", hint: "Hint") -> "Event":
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("data", "cookies", "env"):
            request.pop(key, None)
    event.pop("user", None)
    request_id = context.current_request_id()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return cast("Event", _scrub(event))


def before_breadcrumb(crumb: "Breadcrumb", hint: "BreadcrumbHint") -> "Breadcrumb":
    return cast("Breadcrumb", _scrub(crumb))


def configure_error_reports() -> None:
    dsn = getattr(settings, "SENTRY_DSN", "")
    if not dsn:
        return
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=settings.SENTRY_ENVIRONMENT or None,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        traces_sample_rate=0,
        before_send=before_send,
        before_breadcrumb=before_breadcrumb,
    )
