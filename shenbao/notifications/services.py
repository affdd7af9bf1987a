"""Writes about notifications: telling people about a workflow step, e-mailing, marking messages read.

E-mail is never sent inside the request. The inbox rows are written in the step's own transaction (so a step
that rolls back tells nobody); once it commits, a Django task (`tasks.send_notification_emails`, django-tasks-db
in production, run by `manage.py db_worker`) sends the e-mails. A slow or unreachable SMTP server therefore
delays only the worker, never the reviewer's click, and a failed send stays visible as an unsent row
(`emailed_at` empty) that the task can retry without sending twice.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .messages import transition_body, transition_title
from .models import Notification
from .recipients import STAFF_AUDIENCES, list_recipients

logger = logging.getLogger(__name__)


def application_url(application):
    return reverse("applications:detail", kwargs={"public_id": application.public_id})


def create_notifications(*, recipients, event, title, body, url="", application=None, at=None):
    """One inbox row per recipient (a list of users); e-mails follow once the transaction commits."""
    at = at or timezone.now()
    rows = [
        Notification(
            recipient=user, application=application, event=event, title=title, body=body, url=url, created_at=at
        )
        for user in recipients
    ]
    return save_notifications(rows)


def save_notifications(rows):
    """Insert unsaved Notification rows; their e-mails are queued for when the transaction commits."""
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows)
    # bulk_create sets primary keys on PostgreSQL and SQLite (RETURNING), which the e-mail task needs.
    to_email = [row.pk for row in created if row.recipient.email]
    if to_email:
        transaction.on_commit(lambda: queue_emails(notification_ids=to_email))
    return created


def queue_emails(*, notification_ids):
    from .tasks import send_notification_emails

    send_notification_emails.enqueue(notification_ids=list(notification_ids))


def notify_transition(*, application, step, actor, comment, at):
    """Tell the audiences of `step.notify` that `step` was fired on `application` (never the actor).

    Called by `applications.services.fire_transition` inside its transaction, after the audit record.
    """
    recipients = list_recipients(application=application, audiences=step.notify, exclude=actor)
    if not recipients:
        return []
    title = transition_title(step=step, application=application)
    url = application_url(application)
    bodies = {
        show: transition_body(step=step, application=application, comment=comment, show_comment=show)
        for show in (True, False)
    }
    rows = [
        Notification(
            recipient=user,
            application=application,
            event=f"workflow:{step.name}",
            title=title,
            body=bodies[step.comment_to_applicant or audience in STAFF_AUDIENCES],
            url=url,
            created_at=at,
        )
        for user, audience in recipients
    ]
    return save_notifications(rows)


def _absolute(url):
    base = (settings.SHENBAO_PUBLIC_URL or "").rstrip("/")
    return f"{base}{url}" if url else ""


def deliver_emails(*, notification_ids, at=None):
    """Send the e-mail of each notification not sent yet; returns how many were sent.

    A row is marked sent right after its own message went out, so a retry after a failure sends only the rest.
    """
    pending = (
        Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("pk")
    )
    sent, failures = 0, 0
    for notification in pending:
        site_name = str(settings.SHENBAO_SITE_NAME)
        context = {"notification": notification, "link": _absolute(notification.url), "site_name": site_name}
        message = EmailMessage(
            subject=f"【{site_name}】{notification.title}",
            body=render_to_string("notifications/email.txt", context),
            to=[notification.recipient.email],
        )
        try:
            message.send()
        except Exception:  # one bad address or a dropped connection must not stop the others
            logger.exception("notification e-mail %s to user %s failed", notification.pk, notification.recipient_id)
            failures += 1
            continue
        Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(emailed_at=at or timezone.now())
        sent += 1
    if failures:
        raise RuntimeError(f"{failures} notification e-mail(s) could not be sent; they stay queued for a retry")
    return sent


def retry_unsent_emails(*, at=None, within=datetime.timedelta(days=7), min_age=datetime.timedelta(minutes=10)):
    """Send what a failed or lost task left unsent (the daily command calls this); returns how many were sent.

    Rows younger than `min_age` are left to the task queued for them, so the two do not race.
    """
    at = at or timezone.now()
    ids = list(
        Notification.objects.filter(emailed_at__isnull=True, created_at__range=(at - within, at - min_age))
        .exclude(recipient__email="")
        .values_list("pk", flat=True)
    )
    return deliver_emails(notification_ids=ids, at=at) if ids else 0


def mark_read(*, notification, at=None):
    if notification.read_at is None:
        notification.read_at = at or timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def mark_all_read(*, user, at=None):
    """Mark every unread message of `user` read; returns how many changed."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=at or timezone.now())
