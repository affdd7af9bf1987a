"""Delivery of queued messages: one claim, back-off and retry for every channel (e-mail in `outbox`, SMS in
`texting`), so a message is never lost, never sent twice and never delays the user's action.

- `queue` inserts unsaved rows in the caller's transaction and, once it commits, enqueues the channel's task for
  each; a transaction that rolls back sends nothing.
- `deliver` claims a row with a conditional UPDATE (pending and due, or stuck in sending longer than
  `STALE_CLAIM` → sending), so the task and the periodic send never both send it; on a failure the next attempt is
  scheduled after `BACKOFF[attempt]`, and after the last one the row is given up (shown to the system
  administrator, who may `retry_given_up` it).
- `send_due` (from a timer: `send_queued_emails`, `send_queued_sms`) sends every due row.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import QueuedMessage

logger = logging.getLogger(__name__)

# Waits before the 2nd, 3rd, … attempt; after the last wait's attempt fails the message is given up (about 2 days).
BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=15),
    dt.timedelta(hours=1),
    dt.timedelta(hours=3),
    dt.timedelta(hours=6),
    dt.timedelta(hours=12),
    dt.timedelta(hours=24),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
STALE_CLAIM = dt.timedelta(minutes=10)
Status = QueuedMessage.Status


def _nothing_after_sending(row: Any, sent_at: dt.datetime) -> None:
    return None


@dataclass(frozen=True)
class Channel:
    """One kind of queued message: its model, the task that sends one row, and how a row is sent and logged."""

    name: str  # in log lines: "e-mail", "SMS"
    model: type[QueuedMessage]
    task: str  # dotted path of the task sending one row (imported when used: tasks import this module's users)
    key: str  # the task's keyword naming the row
    send: Callable[[Any], None]  # raises on any failure of the server, the gateway or the network
    describe: Callable[[Any], str]  # how a log line names the row (never a phone number in full)
    after_sent: Callable[[Any, dt.datetime], None] = _nothing_after_sending


def due_q(at: dt.datetime) -> Q:
    return Q(status=Status.PENDING, next_attempt_at__lte=at) | Q(status=Status.SENDING, claimed_at__lt=at - STALE_CLAIM)


def queue(*, channel: Channel, rows: Iterable[QueuedMessage | None]) -> list[Any]:
    """Insert the unsaved rows (None skipped) in one statement; each is sent by the task worker after the commit."""
    saved = channel.model.objects.bulk_create([row for row in rows if row is not None])
    ids = [row.pk for row in saved]  # bulk_create returns keys on PostgreSQL and SQLite (RETURNING)
    if ids:

        def enqueue_all() -> None:
            for pk in ids:
                enqueue(channel=channel, pk=pk)

        transaction.on_commit(enqueue_all)
    return saved


def enqueue(*, channel: Channel, pk: int, run_after: dt.datetime | None = None) -> None:
    task = import_string(channel.task)
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # a backend that cannot defer (development, tests): the periodic send picks the row up
        task = task.using(run_after=run_after)
    try:
        task.enqueue(**{channel.key: pk})
    except Exception:  # the row stays pending: the periodic send delivers it
        logger.exception("could not enqueue the delivery of %s %s", channel.name, pk)


def deliver(*, channel: Channel, pk: int, at: dt.datetime | None = None) -> bool:
    """Send the queued row `pk` if it is due and nobody else is sending it; True when it went out."""
    at = at or timezone.now()
    rows = channel.model.objects
    if rows.filter(due_q(at), pk=pk).update(status=Status.SENDING, claimed_at=at) != 1:
        return False
    row = rows.get(pk=pk)
    try:
        channel.send(row)
    except Exception as error:  # any failure of the server, the gateway or the network: try again later
        _failed(channel, row, error, at)
        return False
    sent_at = timezone.now()
    rows.filter(pk=pk).update(status=Status.SENT, sent_at=sent_at, attempts=F("attempts") + 1, last_error="")
    channel.after_sent(row, sent_at)
    return True


def _failed(channel: Channel, row: Any, error: Exception, at: dt.datetime) -> None:
    attempts = row.attempts + 1
    text = f"{type(error).__name__}: {error}"[:500]
    name = f"{channel.name} {channel.describe(row)}"
    logger.warning("%s failed on attempt %s: %s", name, attempts, text)
    rows = channel.model.objects.filter(pk=row.pk)
    if attempts >= MAX_ATTEMPTS:
        rows.update(status=Status.GIVEN_UP, attempts=attempts, last_error=text)
        logger.error("%s given up after %s attempts", name, attempts)
        return
    next_attempt = at + BACKOFF[attempts - 1]
    rows.update(status=Status.PENDING, attempts=attempts, last_error=text, next_attempt_at=next_attempt)
    enqueue(channel=channel, pk=row.pk, run_after=next_attempt)


def send_due(*, channel: Channel, at: dt.datetime | None = None) -> int:
    """Send every due row (pending and due, or stuck in sending); returns how many went out."""
    at = at or timezone.now()
    due = channel.model.objects.filter(due_q(at)).order_by("next_attempt_at", "pk").values_list("pk", flat=True)
    return sum(1 for pk in list(due) if deliver(channel=channel, pk=pk, at=at))


def retry_given_up(*, channel: Channel, row: QueuedMessage, at: dt.datetime | None = None) -> bool:
    """The system administrator queues a given-up row again, with a fresh set of attempts."""
    at = at or timezone.now()
    updated = channel.model.objects.filter(pk=row.pk, status=Status.GIVEN_UP).update(
        status=Status.PENDING, attempts=0, next_attempt_at=at
    )
    if updated:
        transaction.on_commit(lambda: enqueue(channel=channel, pk=row.pk))
    return bool(updated)
