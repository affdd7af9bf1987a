"""The e-mail outbox: every mail the platform sends is queued here and sent by the task worker, with retries.

Why: a mail server that is down or slow must never fail or delay what a user does (an invitation, a password
reset, an objection reply, a workflow step), and a mail that failed must neither be lost nor sent twice.

- `queue_email` / `queue_emails` insert `OutgoingEmail` rows in the caller's transaction; once it commits the task
  `send_outgoing_email` is enqueued. A transaction that rolls back sends nothing.
- Claiming, back-off, giving up and retrying are the same for every channel (`delivery`); on success the row's
  `marks` are filled.
- `send_due_emails` (run by `manage.py send_queued_emails` from a timer, and by the daily reminders) sends every
  due row, including rows whose worker died while sending.
- A given-up row stays visible to the system administrator (`/notifications/outbox/`), who may queue it again.
"""

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone

from . import delivery
from .delivery import BACKOFF, MAX_ATTEMPTS
from .models import OutgoingEmail

# The retry schedule, named where e-mail is queued (tests and operators read it here).
__all__ = ["BACKOFF", "MAX_ATTEMPTS"]


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


def _send(email):
    EmailMessage(subject=email.subject, body=email.body, to=list(email.to)).send()


def _fill_marks(email, sent_at):
    marks = email.marks
    if not marks:
        return
    model = apps.get_model(marks["model"])
    model.objects.filter(pk=marks["pk"], **{f"{marks['field']}__isnull": True}).update(**{marks["field"]: sent_at})


EMAIL = delivery.Channel(
    name="e-mail",
    model=OutgoingEmail,
    task="shenbao.notifications.tasks.send_outgoing_email",
    key="email_id",
    send=_send,
    describe=lambda email: f"{email.pk} ({email.purpose})",
    after_sent=_fill_marks,
)


def queue_emails(emails):
    """Insert unsaved rows (`outgoing_email`) in one statement; each is sent by the task worker after the commit."""
    return delivery.queue(channel=EMAIL, rows=emails)


def queue_email(**message):
    """Queue one e-mail (the arguments of `outgoing_email`); None when no address is given."""
    rows = queue_emails([outgoing_email(**message)])
    return rows[0] if rows else None


def deliver_email(*, email_id, at=None):
    """Send the queued e-mail `email_id` if it is due and nobody else is sending it; True when it went out."""
    return delivery.deliver(channel=EMAIL, pk=email_id, at=at)


def send_due_emails(*, at=None):
    """Send every due e-mail (pending and due, or stuck in sending); returns how many went out."""
    return delivery.send_due(channel=EMAIL, at=at)


def retry_given_up(*, email, at=None):
    """The system administrator queues a given-up e-mail again, with a fresh set of attempts."""
    return delivery.retry_given_up(channel=EMAIL, row=email, at=at)
