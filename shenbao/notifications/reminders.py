"""Stage due dates and the daily reminders (到期提醒).

Three stages have a due date:
- 资格初审: `Call.first_review_due` (call file); the first reviewers of applications still `submitted`;
- 补正: `Application.resubmission_due`; the applicants of `returned` applications;
- 征求意见: `OpinionRequest.due_on`; the departments that have not answered.

Each stage has milestones, in days before the due date (first review: 2, 0 and -1, i.e. two days before, on
the day and the day after; the others 2 and 0, since nothing can be done after their due date). On a day inside
a stage's window (from the first milestone to the last, Beijing time) a recipient gets the reminder of the
latest milestone reached, unless a `Reminder` row says it was sent already. So the command may run any number
of times a day without repeating itself, and a day it did not run is caught up the next day within the window.
"""

import datetime
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from shenbao.applications.selectors import list_applications_with_due_date
from shenbao.applications.workflow import ApplicationStatus

from .actions import application_url, first_review_url
from .messages import in_working_language, reminder_body, reminder_title
from .models import Notification, Reminder
from .recipients import APPLICANT, FIRST_REVIEWER, list_recipients
from .services import save_notifications

if TYPE_CHECKING:
    from shenbao.accounts.models import User
    from shenbao.applications.models import Application

# (application, due date, [(user, audience)], the page where the recipient acts)
ReminderTarget = tuple["Application", datetime.date, list[tuple["User", str]], str]

Kind = Reminder.Kind
MILESTONES = {
    Kind.FIRST_REVIEW: (2, 0, -1),
    Kind.RESUBMISSION: (2, 0),
    Kind.OPINION: (2, 0),
}


def milestone_reached(*, kind, due_date, today):
    """The latest milestone of `kind` reached on `today`, or None outside the reminder window."""
    milestones = MILESTONES[kind]
    days_left = (due_date - today).days
    if days_left > max(milestones) or days_left < min(milestones):
        return None
    return min(milestone for milestone in milestones if days_left <= milestone)


def _window(kind, today):
    milestones = MILESTONES[kind]
    return today + datetime.timedelta(days=min(milestones)), today + datetime.timedelta(days=max(milestones))


def _first_review_targets(today):
    start, end = _window(Kind.FIRST_REVIEW, today)
    applications = list_applications_with_due_date(
        status=ApplicationStatus.SUBMITTED, due_field="call__first_review_due", start=start, end=end
    )
    for application in applications:
        yield (
            application,
            application.call.first_review_due,
            list_recipients(application=application, audiences=(FIRST_REVIEWER,)),
            first_review_url(application),
        )


def _resubmission_targets(today):
    start, end = _window(Kind.RESUBMISSION, today)
    applications = list_applications_with_due_date(
        status=ApplicationStatus.RETURNED, due_field="resubmission_due", start=start, end=end
    )
    for application in applications:
        yield (
            application,
            application.resubmission_due,
            list_recipients(application=application, audiences=(APPLICANT,)),
            application_url(application),
        )


# The 征求意见 stage's reminders are opinions' to list: named by dotted path and imported on use, so notifications
# does not depend on the stages that notify through it.
OPINION_TARGETS = "shenbao.opinions.selectors.list_opinion_reminder_targets"


def _opinion_targets(today):
    start, end = _window(Kind.OPINION, today)
    return import_string(OPINION_TARGETS)(start=start, end=end)


TARGETS: dict[str, Callable[[datetime.date], Iterator[ReminderTarget]]] = {
    Kind.FIRST_REVIEW: _first_review_targets,
    Kind.RESUBMISSION: _resubmission_targets,
    Kind.OPINION: _opinion_targets,
}


def _send_one(*, kind, application, user, url, due_date, milestone, today, at):
    """Record and send one reminder; False when another run recorded it first."""
    with in_working_language():
        title = reminder_title(kind=kind, application=application)
        body = reminder_body(kind=kind, application=application, due_date=due_date, days_left=(due_date - today).days)
    notification = Notification(
        recipient=user,
        application=application,
        event=f"reminder:{kind}",
        title=title,
        body=body,
        url=url,
        created_at=at,
    )
    try:
        # A concurrent run that recorded the same reminder first makes this insert fail; the savepoint then
        # drops this notification and its queued e-mail too.
        with transaction.atomic():
            [notification] = save_notifications([notification])
            Reminder.objects.create(
                kind=kind,
                application=application,
                recipient=user,
                due_date=due_date,
                milestone=milestone,
                sent_at=at,
                notification=notification,
            )
    except IntegrityError:
        return False
    return True


def send_due_reminders(*, at=None):
    """Send today's reminders (Beijing time); returns {kind: number sent}. Safe to run repeatedly."""
    at = at or timezone.now()
    today = timezone.localtime(at).date()
    sent = {}
    for kind, targets in TARGETS.items():
        sent[kind.value] = 0
        already = set(
            Reminder.objects.filter(kind=kind, due_date__range=_window(kind, today)).values_list(
                "application", "recipient", "due_date", "milestone"
            )
        )
        for application, due_date, recipients, url in targets(today):
            milestone = milestone_reached(kind=kind, due_date=due_date, today=today)
            if milestone is None:
                continue
            for user, _audience in recipients:
                if (application.pk, user.pk, due_date, milestone) in already:
                    continue
                if _send_one(
                    kind=kind,
                    application=application,
                    user=user,
                    url=url,
                    due_date=due_date,
                    milestone=milestone,
                    today=today,
                    at=at,
                ):
                    sent[kind.value] += 1
    return sent
