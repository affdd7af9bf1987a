"""Text messages (短信): pluggable backends, like Django's mail backends; queued and retried by
`notifications.texting` (the SMS outbox), which calls `send_text` from the task worker.

SHENBAO_SMS_BACKEND names a class with `send(*, to, text)` that raises on failure: empty sends nothing (the
default: most deployments have no SMS gateway), "shenbao.core.sms.ConsoleBackend" prints,
"shenbao.core.sms.LocmemBackend" keeps the messages in `sms.outbox` (tests), and
"shenbao.core.sms_gateway.GatewayBackend" calls a commercial SMS gateway's HTTP API (settings SHENBAO_SMS_GATEWAY).
"""

import sys

from django.conf import settings
from django.utils.module_loading import import_string

# Messages "sent" by LocmemBackend: (to, text) pairs.
outbox = []


class ConsoleBackend:
    def send(self, *, to, text):
        sys.stdout.write(f"SMS to {to}: {text}\n")


class LocmemBackend:
    def send(self, *, to, text):
        outbox.append((to, text))


def sms_enabled():
    return bool(getattr(settings, "SHENBAO_SMS_BACKEND", None))


def send_text(*, to, text):
    """Hand one message to the configured backend now; its exceptions reach the caller (the outbox retries)."""
    import_string(settings.SHENBAO_SMS_BACKEND)().send(to=to, text=text)
