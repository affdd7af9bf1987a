"""Writes about notifications: telling people about a workflow step, e-mailing, marking messages read.

E-mail is never sent inside the request. The inbox rows are written in the step's own transaction (so a step
that rolls back tells nobody), and each recipient with an address gets an e-mail queued in the same transaction
(`outbox.queue_email`); the task worker sends it after the commit and retries it with back-off when the mail
server fails. A sent e-mail fills the notification's `emailed_at`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from .actions import action_url, load_opinion_requests
from .messages import action_request, in_working_language, transition_body, transition_title
from .models import Notification, OutgoingEmail
from .outbox import absolute_url, outgoing_email, queue_emails
from .recipients import STAFF_AUDIENCES, list_recipients

if TYPE_CHECKING:
    from shenbao.accounts.models import User
    from shenbao.applications.models import Application
    from shenbao.applications.workflow import Transition


def create_notifications(
    *,
    recipients: Iterable[User],
    event: str,
    title: str,
    body: str,
    url: str = "",
    application: Application | None = None,
    at: dt.datetime | None = None,
) -> list[Notification]:
    """One inbox row per recipient (a list of users); e-mails follow once the transaction commits."""
    at = at or timezone.now()
    rows = [
        Notification(
            recipient=user, application=application, event=event, title=title, body=body, url=url, created_at=at
        )
        for user in recipients
    ]
    return save_notifications(rows)


def save_notifications(rows: list[Notification]) -> list[Notification]:
    """Insert unsaved Notification rows and queue the e-mail of each recipient who has an address."""
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows)
    # bulk_create sets primary keys on PostgreSQL and SQLite (RETURNING), which the outbox marks need; the mails of
    # a step go into the outbox in one statement too, however many people it tells.
    queue_emails(_notification_email(notification) for notification in created)
    return created


def _notification_email(notification: Notification) -> OutgoingEmail | None:
    if not notification.recipient.email:
        return None
    site_name = str(settings.SHENBAO_SITE_NAME)
    context = {"notification": notification, "link": absolute_url(notification.url), "site_name": site_name}
    return outgoing_email(
        to=[notification.recipient.email],
        subject=f"【{site_name}】{notification.title}",
        body=render_to_string("notifications/email.txt", context),
        purpose=f"notification:{notification.event}"[:64],
        marks={"model": "notifications.Notification", "pk": notification.pk, "field": "emailed_at"},
        at=notification.created_at,
    )


def notify_transition(
    *, application: Application, step: Transition, actor: User | None, comment: str, at: dt.datetime
) -> list[Notification]:
    """Tell the audiences of `step.notify` that `step` was fired on `application` (never the actor).

    Called by `applications.services.fire_transition` inside its transaction, after the audit record.
    """
    recipients = list_recipients(application=application, audiences=step.notify, exclude=actor)
    if not recipients:
        return []
    with in_working_language():
        title = transition_title(step=step, application=application)
        bodies = {
            show: transition_body(step=step, application=application, comment=comment, show_comment=show)
            for show in (True, False)
        }
        asks = {audience: action_request(step=step, audience=audience) for _user, audience in recipients}
    opinion_requests = load_opinion_requests(application=application, audiences=step.notify)
    rows = [
        Notification(
            recipient=user,
            application=application,
            event=f"workflow:{step.name}",
            title=title,
            body=bodies[step.comment_to_applicant or audience in STAFF_AUDIENCES] + asks[audience],
            url=action_url(
                step=step, audience=audience, application=application, user=user, opinion_requests=opinion_requests
            ),
            created_at=at,
        )
        for user, audience in recipients
    ]
    return save_notifications(rows)


def mark_read(*, notification: Notification, at: dt.datetime | None = None) -> Notification:
    if notification.read_at is None:
        notification.read_at = at or timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def mark_all_read(*, user: User, at: dt.datetime | None = None) -> int:
    """Mark every unread message of `user` read; returns how many changed."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=at or timezone.now())
