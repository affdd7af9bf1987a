"""Due-date reminders: the milestones, Beijing-time day boundaries, and that nothing is ever sent twice."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from shenbao.accounts.roles import Role
from shenbao.notifications.models import Notification, Reminder
from shenbao.notifications.reminders import milestone_reached, send_due_reminders
from shenbao.notifications.tasks import send_due_reminders as send_due_reminders_task
from tests.applications.builders import IN_TIME

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")
FIRST_REVIEW_DUE = datetime.date(2022, 12, 16)  # calls/jincheng-2022.yaml


def beijing(day, hour=9, minute=0, second=0):
    return datetime.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=BEIJING)


def reminders_of(user, kind):
    return list(Notification.objects.filter(recipient=user, event=f"reminder:{kind}").order_by("pk"))


@pytest.mark.parametrize(
    ("kind", "days_left", "expected"),
    [
        ("first_review", 3, None),
        ("first_review", 2, 2),
        ("first_review", 1, 2),
        ("first_review", 0, 0),
        ("first_review", -1, -1),
        ("first_review", -2, None),
        ("resubmission", 3, None),
        ("resubmission", 1, 2),
        ("resubmission", 0, 0),
        ("resubmission", -1, None),
        ("opinion", 2, 2),
        ("opinion", -1, None),
    ],
)
def test_milestones(kind, days_left, expected):
    today = datetime.date(2022, 12, 10)
    due = today + datetime.timedelta(days=days_left)
    assert milestone_reached(kind=kind, due_date=due, today=today) == expected


def test_the_call_file_sets_the_first_review_due_date(call):
    assert call.first_review_due == FIRST_REVIEW_DUE


def test_first_reviewers_are_reminded_before_on_and_after_the_due_date_once_each(county_reviewer, submitted):
    days = [FIRST_REVIEW_DUE + datetime.timedelta(days=offset) for offset in range(-3, 3)]
    sent = {day: send_due_reminders(at=beijing(day))["first_review"] for day in days}
    assert list(sent.values()) == [0, 1, 0, 1, 1, 0]  # 3 and 1 days before and 2 days after: nothing
    bodies = [notification.body for notification in reminders_of(county_reviewer, "first_review")]
    who = f"申报 {submitted.number}（晋城市精工机械有限公司）尚待资格初审，资格初审"
    assert bodies == [
        f"{who}将于2天后到期（截止日期：2022年12月16日）。请及时办理。",
        f"{who}今天到期（截止日期：2022年12月16日）。请及时办理。",
        f"{who}已逾期1天（截止日期：2022年12月16日）。请及时办理。",
    ]


def test_running_twice_a_day_sends_nothing_twice(county_reviewer, submitted):
    at = beijing(FIRST_REVIEW_DUE)
    assert send_due_reminders(at=at)["first_review"] == 1
    assert send_due_reminders(at=at + datetime.timedelta(hours=8))["first_review"] == 0
    assert Reminder.objects.count() == 1 and len(reminders_of(county_reviewer, "first_review")) == 1


def test_a_missed_day_is_caught_up_the_next_day(county_reviewer, submitted):
    tomorrow = FIRST_REVIEW_DUE - datetime.timedelta(days=1)
    assert send_due_reminders(at=beijing(tomorrow))["first_review"] == 1
    [notification] = reminders_of(county_reviewer, "first_review")
    assert "将于明天到期" in notification.body


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # 23:59:59 Beijing on the 15th is still the day before (UTC is 15:59:59 on the 15th).
        (datetime.datetime(2022, 12, 15, 15, 59, 59, tzinfo=datetime.UTC), "将于明天到期"),
        # One second later it is the 16th in Beijing, though still the 15th in UTC.
        (datetime.datetime(2022, 12, 15, 16, 0, 0, tzinfo=datetime.UTC), "今天到期"),
    ],
)
def test_days_are_counted_in_beijing_time(county_reviewer, submitted, moment, expected):
    send_due_reminders(at=moment)
    [notification] = reminders_of(county_reviewer, "first_review")
    assert expected in notification.body


def test_reviewed_applications_are_not_reminded(county_reviewer, submitted, make_returned):
    make_returned(submitted)
    assert send_due_reminders(at=beijing(FIRST_REVIEW_DUE))["first_review"] == 0


def test_a_call_without_a_first_review_due_date_reminds_nobody(county_reviewer, submitted, call):
    call.first_review_due = None
    call.save(update_fields=["first_review_due"])
    assert send_due_reminders(at=beijing(FIRST_REVIEW_DUE))["first_review"] == 0


@pytest.mark.parametrize(
    ("days_left", "sent", "wording"),
    [(1, 1, "将于明天到期"), (0, 1, "今天到期"), (-1, 0, None)],
    ids=["due-tomorrow", "due-today", "due-yesterday"],
)
def test_applicants_are_reminded_before_the_resubmission_due_date(
    county_reviewer, submitted, applicant, make_returned, days_left, sent, wording
):
    due = datetime.date(2022, 12, 20)
    make_returned(submitted, due=due)
    today = due - datetime.timedelta(days=days_left)
    assert send_due_reminders(at=beijing(today, 8))["resubmission"] == sent
    notifications = reminders_of(applicant, "resubmission")
    assert len(notifications) == sent
    if wording:
        assert wording in notifications[0].body and "2022年12月20日" in notifications[0].body


def test_reminder_emails_follow_the_commit(
    county_reviewer, submitted, applicant, make_returned, mailoutbox, django_capture_on_commit_callbacks
):
    applicant.email = "jinggong@example.com"
    applicant.save(update_fields=["email"])
    make_returned(submitted, due=datetime.date(2022, 12, 20))
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders(at=beijing(datetime.date(2022, 12, 20)))
    [message] = mailoutbox
    assert message.subject == f"【申报评审平台】补正材料到期提醒：{submitted.number}"
    assert "今天到期" in message.body


def open_request(application, department, *, due, requested_by, response=""):
    from shenbao.opinions.models import OpinionRequest

    return OpinionRequest.objects.create(
        application=application,
        department=department,
        basis=OpinionRequest.Basis.CONSULTED,
        due_on=due,
        requested_at=IN_TIME,
        requested_by=requested_by,
        response=response,
    )


def test_consulted_departments_are_reminded_of_unanswered_requests(submitted, applicant, staff_of):
    from shenbao.applications.models import Application

    # Straight to 征求意见 (the earlier steps belong to other apps and are tested there).
    Application.objects.filter(pk=submitted.pk).update(status="soliciting")
    tax = staff_of("国家税务总局晋城市税务局", Role.CONSULTED_DEPARTMENT)
    market = staff_of("晋城市市场监督管理局", Role.CONSULTED_DEPARTMENT)
    due = datetime.date(2023, 1, 10)
    request = open_request(submitted, tax.organisation, due=due, requested_by=applicant)
    open_request(submitted, market.organisation, due=due, requested_by=applicant, response="no_objection")
    assert send_due_reminders(at=beijing(due))["opinion"] == 1
    [notification] = reminders_of(tax, "opinion")
    assert "征求意见今天到期" in notification.body
    # The reminder opens the department's answer page, where it gives its opinion.
    assert notification.url == reverse("opinions:answer", kwargs={"public_id": request.public_id})
    assert reminders_of(market, "opinion") == []
    assert send_due_reminders(at=beijing(due, 18))["opinion"] == 0


def test_the_command_prints_what_it_sent_and_is_idempotent(county_reviewer, submitted):
    out = StringIO()
    call_command("send_due_reminders", "--date", "2022-12-16", "--no-email-retry", stdout=out)
    assert "资格初审到期提醒：发送 1 条" in out.getvalue()
    out = StringIO()
    call_command("send_due_reminders", "--date", "2022-12-16", "--no-email-retry", stdout=out)
    assert "资格初审到期提醒：发送 0 条" in out.getvalue()


def test_the_task_sends_todays_reminders(county_reviewer, submitted, applicant, make_returned):
    make_returned(submitted, due=timezone.localdate() + datetime.timedelta(days=1))
    result = send_due_reminders_task.enqueue()  # the immediate backend in tests
    assert result.return_value["resubmission"] == 1
    assert len(reminders_of(applicant, "resubmission")) == 1
