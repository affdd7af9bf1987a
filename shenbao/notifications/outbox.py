"""The e-mail outbox: every mail the platform sends is queued here and sent by the task worker, with retries.

Why: a mail server that is down or slow must never fail or delay what a user does (an invitation, a password
reset, an objection reply, a workflow step), and a mail that failed must neither be lost nor sent twice.

- `queue_email` inserts an `OutgoingEmail` in the caller's transaction and, once that commits, enqueues
  `tasks.send_outgoing_email`. A transaction that rolls back sends nothing.
- `deliver_email` claims the row with a conditional UPDATE (pending and due → sending), so the task and the
  periodic retry can never both send it; on success the row is sent and its `marks` are filled; on failure the
  next attempt is scheduled after `BACKOFF[attempt]`, and after the last one the row is given up.
- `send_due_emails` (run by `manage.py send_queued_emails` from a timer, and by the daily reminders) sends every
  due row, including rows whose worker died while sending (claimed longer than `STALE_CLAIM` ago).
- A given-up row stays visible to the system administrator (`/notifications/outbox/`), who may queue it again.
"""

import datetime
import logging

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import OutgoingEmail

logger = logging.getLogger(__name__)

# Waits before the 2nd, 3rd, … attempt; after the last wait's attempt fails the mail is given up (about 2 days).
BACKOFF = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=15),
    datetime.timedelta(hours=1),
    datetime.timedelta(hours=3),
    datetime.timedelta(hours=6),
    datetime.timedelta(hours=12),
    datetime.timedelta(hours=24),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
STALE_CLAIM = datetime.timedelta(minutes=10)
Status = OutgoingEmail.Status


def absolute_url(path):
    """`path` on the platform's public address (SHENBAO_PUBLIC_URL, required in production): mail needs full links."""
    if not path or "://" in path:
        return path or ""
    return f"{settings.SHENBAO_PUBLIC_URL.rstrip('/')}{path}"


def outgoing_email(*, to, subject, body, purpose, marks=None, at=None):
    """An unsaved outbox row for `queue_emails`, or None when no address is given."""
    recipients = [address for address in to if address]
    if not recipients:
        return None
    at = at or timezone.now()
    return OutgoingEmail(
        purpose=purpose,
        to=recipients,
        subject=subject[:300],
        body=body,
        marks=marks or {},
        created_at=at,
        next_attempt_at=at,
    )


def queue_emails(emails):
    """Insert unsaved rows (`outgoing_email`) in one statement; each is sent by the task worker after the commit."""
    rows = OutgoingEmail.objects.bulk_create([email for email in emails if email is not None])
    ids = [row.pk for row in rows]  # bulk_create returns keys on PostgreSQL and SQLite (RETURNING)
    if ids:
        transaction.on_commit(lambda: [enqueue_delivery(email_id=email_id) for email_id in ids])
    return rows


def queue_email(**message):
    """Queue one e-mail (the arguments of `outgoing_email`); None when no address is given."""
    rows = queue_emails([outgoing_email(**message)])
    return rows[0] if rows else None


def enqueue_delivery(*, email_id, run_after=None):
    from .tasks import send_outgoing_email

    task = send_outgoing_email
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # a backend that cannot defer (development, tests): the periodic send picks the row up
        task = task.using(run_after=run_after)
    try:
        task.enqueue(email_id=email_id)
    except Exception:  # the row stays pending: the periodic send delivers it
        logger.exception("could not enqueue the delivery of e-mail %s", email_id)


def _claim(email_id, at):
    due = Q(status=Status.PENDING, next_attempt_at__lte=at) | Q(status=Status.SENDING, claimed_at__lt=at - STALE_CLAIM)
    claimed = OutgoingEmail.objects.filter(due, pk=email_id).update(status=Status.SENDING, claimed_at=at)
    return claimed == 1


def deliver_email(*, email_id, at=None):
    """Send the queued e-mail `email_id` if it is due and nobody else is sending it; True when it went out."""
    at = at or timezone.now()
    if not _claim(email_id, at):
        return False
    email = OutgoingEmail.objects.get(pk=email_id)
    message = EmailMessage(subject=email.subject, body=email.body, to=list(email.to))
    try:
        message.send()
    except Exception as error:  # any failure of the mail server or the network: try again later
        _failed(email, error, at)
        return False
    sent_at = timezone.now()
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=Status.SENT, sent_at=sent_at, attempts=F("attempts") + 1, last_error=""
    )
    _fill_marks(email.marks, sent_at)
    return True


def _failed(email, error, at):
    attempts = email.attempts + 1
    text = f"{type(error).__name__}: {error}"[:500]
    logger.warning("e-mail %s (%s) failed on attempt %s: %s", email.pk, email.purpose, attempts, text)
    if attempts >= MAX_ATTEMPTS:
        OutgoingEmail.objects.filter(pk=email.pk).update(status=Status.GIVEN_UP, attempts=attempts, last_error=text)
        logger.error("e-mail %s (%s) given up after %s attempts", email.pk, email.purpose, attempts)
        return
    next_attempt = at + BACKOFF[attempts - 1]
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=Status.PENDING, attempts=attempts, last_error=text, next_attempt_at=next_attempt
    )
    enqueue_delivery(email_id=email.pk, run_after=next_attempt)


def _fill_marks(marks, sent_at):
    if not marks:
        return
    model = apps.get_model(marks["model"])
    model.objects.filter(pk=marks["pk"], **{f"{marks['field']}__isnull": True}).update(**{marks["field"]: sent_at})


def send_due_emails(*, at=None):
    """Send every due e-mail (pending and due, or stuck in sending); returns how many went out."""
    at = at or timezone.now()
    due = Q(status=Status.PENDING, next_attempt_at__lte=at) | Q(status=Status.SENDING, claimed_at__lt=at - STALE_CLAIM)
    ids = list(OutgoingEmail.objects.filter(due).order_by("next_attempt_at", "pk").values_list("pk", flat=True))
    return sum(1 for email_id in ids if deliver_email(email_id=email_id, at=at))


def retry_given_up(*, email, at=None):
    """The system administrator queues a given-up e-mail again, with a fresh set of attempts."""
    at = at or timezone.now()
    updated = OutgoingEmail.objects.filter(pk=email.pk, status=Status.GIVEN_UP).update(
        status=Status.PENDING, attempts=0, next_attempt_at=at
    )
    if updated:
        transaction.on_commit(lambda: enqueue_delivery(email_id=email.pk))
    return bool(updated)
