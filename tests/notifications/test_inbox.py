"""The inbox: only one's own messages, unread first, mark read, the unread count on every page, fixed queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shenbao.accounts.roles import Role
from shenbao.notifications.models import Notification
from shenbao.notifications.services import create_notifications
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

INBOX = reverse("notifications:inbox")
START = timezone.make_aware(datetime.datetime(2022, 12, 5, 9, 0))


@pytest.fixture
def user():
    return UserFactory(roles=[Role.APPLICANT])


@pytest.fixture
def other():
    return UserFactory(roles=[Role.APPLICANT])


def send(user, title="退回修改：2022-01-0001", minutes=0, url="/applications/"):
    [notification] = create_notifications(
        recipients=[user],
        event="workflow:return_for_revision",
        title=title,
        body=f"{title}的内容。",
        url=url,
        at=START + datetime.timedelta(minutes=minutes),
    )
    return notification


def listed_titles(response):
    return [notification.title for notification in response.context["page_obj"]]


def test_the_inbox_needs_a_login(client):
    response = client.get(INBOX)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_inbox_shows_only_my_messages_unread_first_then_newest(client, user, other):
    old_read = send(user, "旧消息", minutes=0)
    send(user, "较早未读", minutes=1)
    new_read = send(user, "新的已读", minutes=3)
    send(user, "最新未读", minutes=2)
    send(other, "别人的消息", minutes=5)
    Notification.objects.filter(pk__in=[old_read.pk, new_read.pk]).update(read_at=START)
    client.force_login(user)
    response = client.get(INBOX)
    assert listed_titles(response) == ["最新未读", "较早未读", "新的已读", "旧消息"]
    assert "别人的消息" not in response.text


def test_mark_read_and_open(client, user):
    notification = send(user, url="/applications/abc/")
    client.force_login(user)
    response = client.post(reverse("notifications:mark_read", kwargs={"public_id": notification.public_id}))
    assert response.status_code == 302 and response["Location"] == INBOX
    notification.refresh_from_db()
    first_read = notification.read_at
    assert first_read is not None

    response = client.post(
        reverse("notifications:mark_read", kwargs={"public_id": notification.public_id}), {"open": "1"}
    )
    assert response["Location"] == "/applications/abc/"
    notification.refresh_from_db()
    assert notification.read_at == first_read  # reading again keeps the first reading time


def test_open_never_redirects_off_site(client, user):
    notification = send(user, url="https://evil.example.com/")
    client.force_login(user)
    response = client.post(
        reverse("notifications:mark_read", kwargs={"public_id": notification.public_id}), {"open": "1"}
    )
    assert response["Location"] == INBOX


def test_another_users_message_answers_404_and_stays_unread(client, user, other):
    notification = send(other)
    client.force_login(user)
    response = client.post(reverse("notifications:mark_read", kwargs={"public_id": notification.public_id}))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_marking_read_is_post_only(client, user):
    notification = send(user)
    client.force_login(user)
    assert (
        client.get(reverse("notifications:mark_read", kwargs={"public_id": notification.public_id})).status_code == 405
    )
    assert client.get(reverse("notifications:mark_all_read")).status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_touches_only_my_messages(client, user, other):
    mine = [send(user), send(user)]
    theirs = send(other)
    client.force_login(user)
    response = client.post(reverse("notifications:mark_all_read"), {"page": "2"})
    assert response["Location"] == f"{INBOX}?page=2"
    assert Notification.objects.filter(pk__in=[n.pk for n in mine], read_at__isnull=True).count() == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_unread_count_is_in_the_user_menu_of_every_page(client, user):
    client.force_login(user)
    page = client.get(reverse("core:dashboard")).text
    assert 'id="unread-notification-badge"' not in page
    send(user)
    send(user)
    page = client.get(reverse("core:dashboard")).text
    assert 'id="unread-notification-badge">2<' in page
    assert "2 条未读" in page
    Notification.objects.update(read_at=START)
    assert 'id="unread-notification-badge"' not in client.get(reverse("core:dashboard")).text


def test_no_count_query_for_anonymous_pages(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("core:home")).status_code == 200
    assert not any("notifications_notification" in query["sql"] for query in queries)


# The whole page's queries, exactly: the same with one row as with many, so a fixed extra query fails too.
INBOX_QUERIES = 7


def count_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(INBOX).status_code == 200
    return len(queries)


def test_inbox_queries_do_not_grow_with_messages(client, user):
    send(user)
    client.force_login(user)
    one = count_queries(client)
    for minutes in range(1, 8):
        send(user, minutes=minutes)
    many = count_queries(client)
    assert client.get(INBOX).context["page_obj"].paginator.count == 8
    assert (one, many) == (INBOX_QUERIES, INBOX_QUERIES)


def test_the_inbox_is_paginated(client, user, settings):
    settings.PAGE_SIZE = 2
    for minutes in range(3):
        send(user, f"消息{minutes}", minutes=minutes)
    client.force_login(user)
    page = client.get(INBOX, {"page": 2}).context["page_obj"]
    assert (page.number, [n.title for n in page.object_list], page.paginator.count) == (2, ["消息0"], 3)
