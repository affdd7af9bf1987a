"""E-mail delivery through the outbox: once per message, after the commit, retried when the SMTP server failed."""

import datetime
import smtplib

import pytest
from django.core.mail import EmailMessage
from django.utils import timezone

from shenbao.notifications.models import Notification, OutgoingEmail
from shenbao.notifications.outbox import BACKOFF, deliver_email, send_due_emails
from shenbao.notifications.services import create_notifications
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def notify(user, at):
    [notification] = create_notifications(
        recipients=[user], event="workflow:submit", title="提交申报", body="内容。", url="/applications/x/", at=at
    )
    return notification


def queued_for(notification):
    return OutgoingEmail.objects.get(marks__pk=notification.pk, purpose="notification:workflow:submit")


def test_a_notification_email_is_queued_in_the_transaction_and_sent_once(mailoutbox):
    notification = notify(UserFactory(email="a@example.com"), timezone.now())
    email = queued_for(notification)
    assert email.status == OutgoingEmail.Status.PENDING and mailoutbox == []
    assert "http://testserver/applications/x/" in email.body  # links are absolute
    assert deliver_email(email_id=email.pk) is True
    assert deliver_email(email_id=email.pk) is False
    assert len(mailoutbox) == 1
    assert Notification.objects.get(pk=notification.pk).emailed_at is not None


def test_nothing_is_queued_for_a_user_without_an_address():
    notify(UserFactory(email=""), timezone.now())
    assert not OutgoingEmail.objects.exists()


def test_a_rolled_back_step_queues_nothing_and_sends_nothing(mailoutbox, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notify(UserFactory(email="a@example.com"), timezone.now())
                raise RuntimeError("the step failed")
        except RuntimeError:
            pass
    assert callbacks == [] and mailoutbox == []
    assert not OutgoingEmail.objects.exists()


def test_a_failed_send_is_retried_after_the_back_off_and_then_sent(mailoutbox, monkeypatch):
    now = timezone.now()
    email = queued_for(notify(UserFactory(email="a@example.com"), now))

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("connection unexpectedly closed")

    with monkeypatch.context() as patched:
        patched.setattr(EmailMessage, "send", refuse)
        assert deliver_email(email_id=email.pk, at=now) is False
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.PENDING and email.attempts == 1
    assert email.next_attempt_at == now + BACKOFF[0]
    assert "SMTPServerDisconnected" in email.last_error

    assert send_due_emails(at=now + BACKOFF[0] - datetime.timedelta(seconds=1)) == 0
    assert send_due_emails(at=now + BACKOFF[0]) == 1
    assert [message.to for message in mailoutbox] == [["a@example.com"]]


def test_a_mail_stuck_in_sending_by_a_dead_worker_is_taken_up_again(mailoutbox):
    now = timezone.now()
    email = queued_for(notify(UserFactory(email="a@example.com"), now))
    OutgoingEmail.objects.filter(pk=email.pk).update(status=OutgoingEmail.Status.SENDING, claimed_at=now)
    assert send_due_emails(at=now + datetime.timedelta(minutes=5)) == 0  # maybe still being sent
    assert send_due_emails(at=now + datetime.timedelta(minutes=11)) == 1
    assert len(mailoutbox) == 1


def test_the_timer_command_sends_what_is_due_and_says_what_waits(mailoutbox, monkeypatch):
    import io

    from django.core.management import call_command

    email = queued_for(notify(UserFactory(email="a@example.com"), timezone.now()))

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("connection unexpectedly closed")

    with monkeypatch.context() as patched:
        patched.setattr(EmailMessage, "send", refuse)
        out = io.StringIO()
        call_command("send_queued_emails", stdout=out)
    assert "已发送 0 封；仍在等待重试 1 封；已停止重试 0 封。" in out.getvalue()
    OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
    out = io.StringIO()
    call_command("send_queued_emails", stdout=out)
    assert "已发送 1 封；仍在等待重试 0 封" in out.getvalue() and len(mailoutbox) == 1


def test_a_step_that_tells_many_people_queues_their_mails_in_one_statement(django_assert_num_queries):
    users = [UserFactory(email=f"u{n}@example.com") for n in range(5)] + [UserFactory(email="")]
    with django_assert_num_queries(2):  # one INSERT of notifications, one of outbox rows
        create_notifications(recipients=users, event="workflow:submit", title="提交申报", body="内容。")
    assert OutgoingEmail.objects.count() == 5
