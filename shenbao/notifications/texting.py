"""The SMS outbox: every text message is queued here and sent by the task worker, with retries like e-mail.

- `queue_sms` / `queue_texts` insert `OutgoingSms` rows in the caller's transaction; once it commits the task
  `send_outgoing_sms` is enqueued. Nothing is queued when SMS is off (`SHENBAO_SMS_BACKEND` empty) or no number.
- Claiming, back-off, giving up and retrying are the e-mail outbox's (`delivery`): a failure (the gateway's error
  code, a timeout, a refused connection) schedules the next attempt; after the last one the row is given up and
  stays visible on the system administrator's 短信发送队列 page.
- `send_due_texts` (`manage.py send_queued_sms`, from a timer) sends every due row.
Logs name a row by its id and the number's last four digits only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from shenbao.core.crypto import mask_phone
from shenbao.core.sms import send_text, sms_enabled

from . import delivery
from .models import OutgoingSms


def outgoing_sms(*, to: str, text: str, purpose: str, at: dt.datetime | None = None) -> OutgoingSms | None:
    """An unsaved row for `queue_texts`, or None when SMS is off or there is no number."""
    to = (to or "").strip()
    if not to or not text or not sms_enabled():
        return None
    at = at or timezone.now()
    return OutgoingSms(purpose=purpose[:64], to=to, text=text[:500], created_at=at, next_attempt_at=at)


def _send(sms: OutgoingSms) -> None:
    send_text(to=str(sms.to), text=sms.text)


SMS = delivery.Channel(
    name="SMS",
    model=OutgoingSms,
    task="shenbao.notifications.tasks.send_outgoing_sms",
    key="sms_id",
    send=_send,
    describe=lambda sms: f"{sms.pk} to {mask_phone(str(sms.to))}",
)


def queue_texts(texts: Iterable[OutgoingSms | None]) -> list[OutgoingSms]:
    return delivery.queue(channel=SMS, rows=texts)


def queue_sms(*, to: str, text: str, purpose: str = "sms") -> bool:
    """Queue one text message; False when SMS is not configured or there is no number."""
    return bool(queue_texts([outgoing_sms(to=to, text=text, purpose=purpose)]))


def deliver_sms(*, sms_id: int, at: dt.datetime | None = None) -> bool:
    """Send the queued SMS `sms_id` if it is due and nobody else is sending it; True when the gateway took it."""
    return delivery.deliver(channel=SMS, pk=sms_id, at=at)


def send_due_texts(*, at: dt.datetime | None = None) -> int:
    """Send every due SMS; returns how many went out."""
    return delivery.send_due(channel=SMS, at=at)


def retry_given_up_sms(*, sms: OutgoingSms, at: dt.datetime | None = None) -> bool:
    """The system administrator queues a given-up SMS again, with a fresh set of attempts."""
    return delivery.retry_given_up(channel=SMS, row=sms, at=at)
