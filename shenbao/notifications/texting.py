"""The SMS outbox: every text message is queued here and sent by the task worker, with retries like e-mail.

- `queue_sms` / `queue_texts` insert `OutgoingSms` rows in the caller's transaction; once it commits the task
  `send_outgoing_sms` is enqueued. Nothing is queued when SMS is off (`SHENBAO_SMS_BACKEND` empty) or no number.
- `deliver_sms` claims the row (pending and due → sending) so two workers never both send it, calls the backend
  (`core.sms.send_text`), and on a failure (the gateway's error code, a timeout, a refused connection) schedules the
  next attempt with the e-mail outbox's back-off; after the last attempt the row is given up and stays visible on
  the system administrator's 短信发送队列 page.
- `send_due_texts` (`manage.py send_queued_sms`, from a timer) sends every due row.
Logs name a row by its id and the number's last four digits only.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from shenbao.core.crypto import mask_phone
from shenbao.core.sms import send_text, sms_enabled

from .models import OutgoingSms
from .outbox import BACKOFF, MAX_ATTEMPTS, STALE_CLAIM

logger = logging.getLogger(__name__)
Status = OutgoingSms.Status


def outgoing_sms(*, to: str, text: str, purpose: str, at: dt.datetime | None = None) -> OutgoingSms | None:
    """An unsaved row for `queue_texts`, or None when SMS is off or there is no number."""
    to = (to or "").strip()
    if not to or not text or not sms_enabled():
        return None
    at = at or timezone.now()
    return OutgoingSms(purpose=purpose[:64], to=to, text=text[:500], created_at=at, next_attempt_at=at)


def queue_texts(texts: Iterable[OutgoingSms | None]) -> list[OutgoingSms]:
    rows = OutgoingSms.objects.bulk_create([row for row in texts if row is not None])
    ids = [row.pk for row in rows]
    if ids:

        def enqueue_all() -> None:
            for sms_id in ids:
                enqueue_sms(sms_id=sms_id)

        transaction.on_commit(enqueue_all)
    return rows


def queue_sms(*, to: str, text: str, purpose: str = "sms") -> bool:
    """Queue one text message; False when SMS is not configured or there is no number."""
    return bool(queue_texts([outgoing_sms(to=to, text=text, purpose=purpose)]))


def enqueue_sms(*, sms_id: int, run_after: dt.datetime | None = None) -> None:
    from .tasks import send_outgoing_sms

    task = send_outgoing_sms
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # the periodic send picks the row up
        task = task.using(run_after=run_after)
    try:
        task.enqueue(sms_id=sms_id)
    except Exception:  # the row stays pending: the periodic send delivers it
        logger.exception("could not enqueue the delivery of SMS %s", sms_id)


def _due_q(at: dt.datetime) -> Q:
    return Q(status=Status.PENDING, next_attempt_at__lte=at) | Q(status=Status.SENDING, claimed_at__lt=at - STALE_CLAIM)


def deliver_sms(*, sms_id: int, at: dt.datetime | None = None) -> bool:
    """Send the queued SMS `sms_id` if it is due and nobody else is sending it; True when the gateway took it."""
    at = at or timezone.now()
    if OutgoingSms.objects.filter(_due_q(at), pk=sms_id).update(status=Status.SENDING, claimed_at=at) != 1:
        return False
    sms = OutgoingSms.objects.get(pk=sms_id)
    try:
        send_text(to=str(sms.to), text=sms.text)
    except Exception as error:  # the gateway's refusal, a timeout, the network: try again later
        _failed(sms, error, at)
        return False
    OutgoingSms.objects.filter(pk=sms.pk).update(
        status=Status.SENT, sent_at=timezone.now(), attempts=sms.attempts + 1, last_error=""
    )
    return True


def _failed(sms: OutgoingSms, error: Exception, at: dt.datetime) -> None:
    attempts = sms.attempts + 1
    text = f"{type(error).__name__}: {error}"[:500]
    phone = mask_phone(str(sms.to))
    logger.warning("SMS %s to %s failed on attempt %s: %s", sms.pk, phone, attempts, text)
    if attempts >= MAX_ATTEMPTS:
        OutgoingSms.objects.filter(pk=sms.pk).update(status=Status.GIVEN_UP, attempts=attempts, last_error=text)
        logger.error("SMS %s to %s given up after %s attempts", sms.pk, phone, attempts)
        return
    next_attempt = at + BACKOFF[attempts - 1]
    OutgoingSms.objects.filter(pk=sms.pk).update(
        status=Status.PENDING, attempts=attempts, last_error=text, next_attempt_at=next_attempt
    )
    enqueue_sms(sms_id=sms.pk, run_after=next_attempt)


def send_due_texts(*, at: dt.datetime | None = None) -> int:
    """Send every due SMS; returns how many went out."""
    at = at or timezone.now()
    ids = list(OutgoingSms.objects.filter(_due_q(at)).order_by("next_attempt_at", "pk").values_list("pk", flat=True))
    return sum(1 for sms_id in ids if deliver_sms(sms_id=sms_id, at=at))


def retry_given_up_sms(*, sms: OutgoingSms, at: dt.datetime | None = None) -> bool:
    """The system administrator queues a given-up SMS again, with a fresh set of attempts."""
    at = at or timezone.now()
    updated = OutgoingSms.objects.filter(pk=sms.pk, status=Status.GIVEN_UP).update(
        status=Status.PENDING, attempts=0, next_attempt_at=at
    )
    if updated:
        transaction.on_commit(lambda: enqueue_sms(sms_id=sms.pk))
    return bool(updated)
