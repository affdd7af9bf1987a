"""Text messages (短信): a small pluggable backend, like Django's mail backends.

SHENBAO_SMS_BACKEND names a class with `send(*, to, text)`: empty or None sends nothing (the default: most
deployments have no SMS gateway), "shenbao.core.sms.ConsoleBackend" prints, "shenbao.core.sms.LocmemBackend"
keeps the messages in `sms.outbox` (tests). A gateway's backend is one such class. Sending happens after the
caller's transaction commits, and a failing gateway never fails what the user did (the e-mail still goes).
"""

import logging
import sys

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

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


def _deliver(to, text):
    try:
        import_string(settings.SHENBAO_SMS_BACKEND)().send(to=to, text=text)
    except Exception:
        # An outside gateway; the e-mail carries the same link, so the user is not left without it.
        logger.exception("SMS to %s failed", to[-4:])


def queue_sms(*, to, text):
    """Send `text` to `to` once the current transaction commits; False when SMS is not configured or no number."""
    to = (to or "").strip()
    if not to or not sms_enabled():
        return False
    transaction.on_commit(lambda: _deliver(to, text))
    return True
