"""With the mail server down, what users do still succeeds; the mails wait in the outbox and go out once it is back.

Through HTTP with the full middleware stack: a clerk invites a colleague, somebody asks for a password reset, the
clerk submits (the county reviewers are notified). SMTP points at a closed local port (tests/smtp.py).
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from shenbao.accounts.models import Invitation
from shenbao.applications.models import Application
from shenbao.applications.workflow import ApplicationStatus
from shenbao.notifications.models import Notification, OutgoingEmail
from shenbao.notifications.outbox import MAX_ATTEMPTS, send_due_emails
from tests.applications.builders import IN_TIME
from tests.web import WebUser

pytestmark = pytest.mark.django_db
NOW = IN_TIME + datetime.timedelta(minutes=1)


@pytest.fixture
def clock(monkeypatch):
    """The server's clock (an outside service), inside the 2022 submission window."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)


# The submission's documents stay queued: this test reads the mail, and rendering them as the commit's after-effect
# cost 4 s (tests/fixtures/documents.py).
@pytest.mark.usefixtures("documents_queued")
def test_invitation_reset_and_workflow_succeed_while_smtp_is_down_and_mail_follows(
    ready_draft, applicant, county_reviewer, password, clock, smtp_down, django_capture_on_commit_callbacks
):
    applicant.email = "clerk@example.cn"
    applicant.save(update_fields=["email"])
    county_reviewer.email = "county@example.cn"
    county_reviewer.save(update_fields=["email"])
    clerk = WebUser()
    clerk.log_in(applicant.username, password)

    with django_capture_on_commit_callbacks(execute=True):
        invited = clerk.post(reverse("accounts:invite"), {"full_name": "赵同事", "email": "colleague@example.cn"})
    assert invited.status_code == 302
    assert Invitation.objects.filter(email="colleague@example.cn").exists()

    with django_capture_on_commit_callbacks(execute=True):
        reset = WebUser().post(reverse("accounts:password_reset"), {"email": "clerk@example.cn"})
    assert reset.status_code == 302 and reset["Location"] == reverse("accounts:password_reset_done")

    with django_capture_on_commit_callbacks(execute=True):
        submitted = clerk.post(reverse("applications:submit", args=[ready_draft.public_id]))
    assert submitted.status_code == 302
    assert Application.objects.get(pk=ready_draft.pk).status == ApplicationStatus.SUBMITTED

    # Nothing went out; each mail was tried once by its task and waits for its retry.
    queued = OutgoingEmail.objects.order_by("pk")
    assert {email.purpose for email in queued} >= {
        "accounts:invitation",
        "accounts:password_reset",
        "notification:workflow:submit",
    }
    assert all(email.status == OutgoingEmail.Status.PENDING and email.attempts == 1 for email in queued)
    assert all(email.last_error and email.next_attempt_at > NOW for email in queued)
    assert not Notification.objects.filter(emailed_at__isnull=False).exists()
    assert smtp_down.messages == []

    # Too early for the retry: nothing is sent.
    assert send_due_emails(at=NOW) == 0

    smtp_down.start()
    sent = send_due_emails(at=NOW + datetime.timedelta(minutes=2))

    assert sent == queued.count()
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {OutgoingEmail.Status.SENT}
    recipients = sorted(address for message in smtp_down.messages for address in message["To"].split(", "))
    assert "colleague@example.cn" in recipients and "clerk@example.cn" in recipients
    assert "county@example.cn" in recipients
    bodies = {message["To"]: message.get_content() for message in smtp_down.messages}
    # Every link is absolute, on the configured public address.
    assert "http://testserver/accounts/invitations/" in bodies["colleague@example.cn"]
    assert "http://testserver/accounts/reset/" in bodies["clerk@example.cn"]
    # The reviewer is sent to the first-review page, where the step it is asked to take is done.
    assert f"http://testserver/review/{ready_draft.public_id}/" in bodies["county@example.cn"]
    assert Notification.objects.filter(recipient=county_reviewer, emailed_at__isnull=False).exists()
    # Sent once: another run sends nothing again.
    assert send_due_emails(at=NOW + datetime.timedelta(hours=1)) == 0
    assert len(smtp_down.messages) == sent


def test_a_mail_that_keeps_failing_is_given_up_after_the_last_attempt(smtp_down, django_capture_on_commit_callbacks):
    from shenbao.notifications.outbox import BACKOFF, queue_email

    with django_capture_on_commit_callbacks(execute=True):
        email = queue_email(to=["x@example.cn"], subject="测试", body="正文。", purpose="test")
    for _retry in BACKOFF:  # each retry exactly when it falls due, waits growing as the back-off table says
        previous = OutgoingEmail.objects.get(pk=email.pk)
        assert previous.status == OutgoingEmail.Status.PENDING
        at = previous.next_attempt_at
        assert send_due_emails(at=at - datetime.timedelta(microseconds=1)) == 0
        send_due_emails(at=at)
        after = OutgoingEmail.objects.get(pk=email.pk)
        assert after.attempts == previous.attempts + 1
        if after.status == OutgoingEmail.Status.PENDING:
            assert after.next_attempt_at - at == BACKOFF[previous.attempts]
    email.refresh_from_db()
    assert email.attempts == MAX_ATTEMPTS
    assert email.status == OutgoingEmail.Status.GIVEN_UP
    assert send_due_emails(at=at + datetime.timedelta(days=30)) == 0
