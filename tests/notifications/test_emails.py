"""E-mail delivery: once per message, after the commit, retried when the SMTP server failed."""

import datetime
import smtplib

import pytest
from django.core.mail import EmailMessage
from django.utils import timezone

from shenbao.notifications.models import Notification
from shenbao.notifications.services import create_notifications, deliver_emails, retry_unsent_emails
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def notify(user, at):
    [notification] = create_notifications(
        recipients=[user], event="workflow:submit", title="提交申报", body="内容。", at=at
    )
    return notification


def test_an_email_is_sent_once(mailoutbox):
    notification = notify(UserFactory(email="a@example.com"), timezone.now())
    assert deliver_emails(notification_ids=[notification.pk]) == 1
    assert deliver_emails(notification_ids=[notification.pk]) == 0
    assert len(mailoutbox) == 1


def test_a_failed_send_stays_unsent_and_is_retried(mailoutbox, monkeypatch):
    now = timezone.now()
    failing = notify(UserFactory(email="a@example.com"), now - datetime.timedelta(hours=1))
    fresh = notify(UserFactory(email="b@example.com"), now)  # its own task is still on the way: left alone

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("connection unexpectedly closed")

    with monkeypatch.context() as patched:
        patched.setattr(EmailMessage, "send", refuse)
        with pytest.raises(RuntimeError):
            deliver_emails(notification_ids=[failing.pk])
    assert Notification.objects.get(pk=failing.pk).emailed_at is None

    assert retry_unsent_emails(at=now) == 1
    assert [message.to for message in mailoutbox] == [["a@example.com"]]
    assert Notification.objects.get(pk=fresh.pk).emailed_at is None
