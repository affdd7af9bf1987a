"""发件队列: the system administrator sees what did not go out (never a body) and queues a given-up mail again."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shenbao.accounts.roles import Role
from shenbao.audit.models import AuditEntry
from shenbao.notifications.models import OutgoingEmail
from shenbao.organisations.models import Organisation
from tests.factories import OrganisationFactory, UserFactory
from tests.web import WebUser

pytestmark = pytest.mark.django_db
# Session, user and roles, the header's unread count and menu, the paginator's count, the counts by status, one page.
OUTBOX_PAGE_QUERIES = 8


@pytest.fixture
def sysadmin():
    platform = OrganisationFactory(
        name="平台运维单位", kind=Organisation.Kind.PLATFORM, unit_type=None, credit_code=None
    )
    return UserFactory(username="ops", organisation=platform, roles=[Role.SYSTEM_ADMIN])


def given_up(subject="邀请您加入申报评审平台"):
    return OutgoingEmail.objects.create(
        purpose="accounts:invitation",
        to=["zhao@example.cn"],
        subject=subject,
        body="秘密链接 http://testserver/accounts/reset/abc/def/",
        status=OutgoingEmail.Status.GIVEN_UP,
        attempts=9,
        last_error="ConnectionRefusedError: [Errno 111] Connection refused",
    )


def test_the_system_administrator_sees_given_up_mail_without_its_body_and_retries_it(
    sysadmin, password, mailoutbox, django_capture_on_commit_callbacks
):
    email = given_up()
    OutgoingEmail.objects.create(purpose="x", to=["sent@example.cn"], subject="早已发出", body="b", status="sent")
    browser = WebUser()
    browser.log_in(sysadmin.username, password)

    page = browser.get(reverse("notifications:outbox")).content.decode()
    assert "邀请您加入申报评审平台" in page and "zhao@example.cn" in page and "Connection refused" in page
    assert "秘密链接" not in page and "/accounts/reset/" not in page
    assert "早已发出" not in page  # the default view lists what did not go out

    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(
            reverse("notifications:outbox_retry", args=[email.public_id]), form_url=reverse("notifications:outbox")
        )
    assert response.status_code == 302
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert [message.to for message in mailoutbox] == [["zhao@example.cn"]]
    assert AuditEntry.objects.filter(event="notifications:email_retry", actor=sysadmin).exists()


def test_the_outbox_page_costs_the_same_for_one_or_many_mails(sysadmin, client):
    client.force_login(sysadmin)
    given_up("一")
    client.get(reverse("notifications:outbox"))  # warm the session
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("notifications:outbox")).status_code == 200
    for n in range(5):
        given_up(f"邮件{n}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("notifications:outbox")).status_code == 200
    assert len(one) == OUTBOX_PAGE_QUERIES, [query["sql"][:90] for query in one.captured_queries]
    assert len(many) == OUTBOX_PAGE_QUERIES
