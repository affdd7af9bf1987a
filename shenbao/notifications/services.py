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
from .message_selectors import find_message_template, map_templated_events
from .messages import action_request, in_working_language, transition_body, transition_title
from .models import MessageTemplate, Notification, OutgoingEmail
from .notice_events import NOTICE_EVENTS, notice_values, render_notice
from .outbox import absolute_url, outgoing_email, queue_emails
from .recipients import STAFF_AUDIENCES, list_recipients
from .templating import placeholder_values, render_message
from .texting import outgoing_sms, queue_texts

if TYPE_CHECKING:
    from collections.abc import Callable

    from shenbao.accounts.models import User
    from shenbao.applications.models import Application
    from shenbao.applications.workflow import Transition
    from shenbao.organisations.models import Region

    # Where a notification's city comes from; a function when finding it costs a query (asked only when needed).
    type CitySource = Region | int | Callable[[], Region | int | None] | None


def create_notifications(
    *,
    recipients: Iterable[User],
    event: str,
    title: str,
    body: str,
    url: str = "",
    application: Application | None = None,
    city: CitySource = None,
    at: dt.datetime | None = None,
) -> list[Notification]:
    """One inbox row per recipient (a list of users); e-mails (and SMS) follow once the transaction commits.

    `title` and `body` are the sending app's texts; where the city has a message template for `event`
    (`notice_events`) they are re-worded by it. The city: `city` (a Region, its id, or a function answering one,
    called only when some city templated the event), else that of `application`'s call.
    """
    at = at or timezone.now()
    recipients = list(recipients)
    template = _notice_template(event=event, city=city, application=application)
    if template is None:
        rows = [
            Notification(
                recipient=user, application=application, event=event, title=title, body=body, url=url, created_at=at
            )
            for user in recipients
        ]
        return save_notifications(rows)
    values = notice_values(title=title, body=body, link=absolute_url(url), application=application)
    rows, emails, texts = [], [], []
    for user in recipients:
        with in_working_language():
            message = render_notice(template=template, values=values, recipient_name=str(user))
        rows.append(
            Notification(
                recipient=user,
                application=application,
                event=event,
                title=message.title,
                body=message.body,
                url=url,
                created_at=at,
            )
        )
        emails.append((message.email_subject, message.email_body))
        texts.append(outgoing_sms(to=str(user.phone or ""), text=message.sms_text, purpose=event))
    created = save_notifications(rows, emails=emails)
    queue_texts(texts)
    return created


def _notice_template(*, event: str, city: CitySource, application: Application | None) -> MessageTemplate | None:
    """The city's template for a notice event (`NOTICE_EVENTS`); any other event is never templated here."""
    if event not in NOTICE_EVENTS:
        return None
    return _city_template(event=event, city=city, application=application)


def _city_template(*, event: str, city: CitySource, application: Application | None) -> MessageTemplate | None:
    """The city's edited template for `event`: asked of the database only when the cached map of templated events
    says that city has one, so an untemplated step costs no query (nor finding the city)."""
    cities = map_templated_events().get(event)
    if not cities:
        return None
    if callable(city):
        city = city()
    if city is None and application is not None:
        city = application.call.city_id
    city_id = getattr(city, "pk", city)
    if city_id not in cities:
        return None
    return find_message_template(city=city_id, event=event)


def save_notifications(rows: list[Notification], *, emails: list[tuple[str, str]] | None = None) -> list[Notification]:
    """Insert unsaved Notification rows and queue the e-mail of each recipient who has an address.

    `emails`, parallel to `rows`: (subject, body) written by a city's template; ("", "") → the default e-mail."""
    return [notification for notification, _email in save_notifications_mailed(rows, emails=emails)]


def save_notifications_mailed(
    rows: list[Notification], *, emails: list[tuple[str, str]] | None = None
) -> list[tuple[Notification, OutgoingEmail | None]]:
    """`save_notifications`, answering each inbox row with its queued e-mail (None: the user has no address)."""
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows)
    texts = emails or [("", "")] * len(created)
    mails = [_notification_email(row, *text) for row, text in zip(created, texts, strict=True)]
    # bulk_create sets primary keys on PostgreSQL and SQLite (RETURNING), which the outbox marks need; the mails of
    # a step go into the outbox in one statement too, however many people it tells.
    queued = iter(queue_emails(mails))
    return [(row, next(queued) if mail is not None else None) for row, mail in zip(created, mails, strict=True)]


def _notification_email(notification: Notification, subject: str = "", body: str = "") -> OutgoingEmail | None:
    if not notification.recipient.email:
        return None
    site_name = str(settings.SHENBAO_SITE_NAME)
    context = {"notification": notification, "link": absolute_url(notification.url), "site_name": site_name}
    return outgoing_email(
        to=[notification.recipient.email],
        subject=subject or f"【{site_name}】{notification.title}",
        body=body or render_to_string("notifications/email.txt", context),
        purpose=f"notification:{notification.event}"[:64],
        marks={"model": "notifications.Notification", "pk": notification.pk, "field": "emailed_at"},
        at=notification.created_at,
    )


def notify_transition(
    *, application: Application, step: Transition, actor: User | None, comment: str, at: dt.datetime
) -> list[Notification]:
    """Tell the audiences of `step.notify` that `step` was fired on `application` (never the actor), in the words
    of the city's message template for the step when it has one (`templating`), else the default texts.

    Called by `applications.services.fire_transition` inside its transaction, after the audit record.
    """
    recipients = list_recipients(application=application, audiences=step.notify, exclude=actor)
    if not recipients:
        return []
    template = _city_template(event=f"workflow:{step.name}", city=application.call.city_id, application=application)
    with in_working_language():
        title = transition_title(step=step, application=application)
        bodies = {
            show: transition_body(step=step, application=application, comment=comment, show_comment=show)
            for show in (True, False)
        }
        asks = {audience: action_request(step=step, audience=audience) for _user, audience in recipients}
    opinion_requests = load_opinion_requests(application=application, audiences=step.notify)
    rows, emails, texts = [], [], []
    for user, audience in recipients:
        url = action_url(
            step=step, audience=audience, application=application, user=user, opinion_requests=opinion_requests
        )
        shows_comment = step.comment_to_applicant or audience in STAFF_AUDIENCES
        values = placeholder_values(
            application=application,
            step=step,
            comment=comment if shows_comment else "",
            sentence=bodies[shows_comment],
            asks=asks[audience],
            link=absolute_url(url),
        )
        with in_working_language():
            message = render_message(template=template, values=values, default_title=title, recipient_name=str(user))
        rows.append(
            Notification(
                recipient=user,
                application=application,
                event=f"workflow:{step.name}",
                title=message.title,
                body=message.body,
                url=url,
                created_at=at,
            )
        )
        emails.append((message.email_subject, message.email_body))
        texts.append(outgoing_sms(to=str(user.phone or ""), text=message.sms_text, purpose=f"workflow:{step.name}"))
    created = save_notifications(rows, emails=emails)
    queue_texts(texts)
    return created


def mark_read(*, notification: Notification, at: dt.datetime | None = None) -> Notification:
    if notification.read_at is None:
        notification.read_at = at or timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def mark_all_read(*, user: User, at: dt.datetime | None = None) -> int:
    """Mark every unread message of `user` read; returns how many changed."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=at or timezone.now())
