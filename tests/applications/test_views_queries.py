"""The list and status pages read a fixed number of queries, however many rows or history entries there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shenbao.accounts.roles import Role
from shenbao.applications.models import Application
from shenbao.applications.selectors import list_visible_applications
from shenbao.applications.services import fire_transition, start_application

from .builders import IN_TIME

pytestmark = pytest.mark.django_db


# The whole page's queries, exactly: the same with one row as with many, so a fixed extra query fails too.
REVIEWER_LIST_QUERIES = 15  # the staff list (申报管理): its filter choices and saved views too (test_search_queries)
APPLICANT_LIST_QUERIES = 11  # with the unit's 延期提交 (one query, whatever the number of calls)
STATUS_PAGE_QUERIES = 13  # with 四 纸质材料 (the deliveries and the current signed scan) and the unit's 延期提交


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def start_for_new_unit(call, workstation_type, make_unit, make_applicant):
    def start():
        unit = make_unit()
        return start_application(
            call=call, project_type=workstation_type, unit=unit, user=make_applicant(unit), at=IN_TIME
        )

    return start


def mark_submitted(applications):
    # Straight to the state the reviewers' list shows; submitting each one fully is tested elsewhere.
    Application.objects.filter(pk__in=[application.pk for application in applications]).update(status="submitted")


def test_reviewer_list_queries_do_not_grow_with_rows(client, start_for_new_unit, staff_of):
    call_admin = staff_of("晋城市人力资源和社会保障局技能办", Role.CALL_ADMIN)
    client.force_login(call_admin)
    url = reverse("applications:list")
    mark_submitted([start_for_new_unit()])
    one = count_queries(client, url)

    mark_submitted([start_for_new_unit() for _ in range(6)])
    many = count_queries(client, url)

    assert client.get(url).context["page_obj"].paginator.count == 7
    assert (one, many) == (REVIEWER_LIST_QUERIES, REVIEWER_LIST_QUERIES)


def test_applicant_list_queries_do_not_grow_with_rows(client, call, applicant, unit, draft, base_type):
    client.force_login(applicant)
    url = reverse("applications:list")
    one = count_queries(client, url)
    start_application(call=call, project_type=base_type, unit=unit, user=applicant, at=IN_TIME)
    assert (one, count_queries(client, url)) == (APPLICANT_LIST_QUERIES, APPLICANT_LIST_QUERIES)


def test_list_is_paginated(client, start_for_new_unit, staff_of, settings):
    settings.PAGE_SIZE = 2
    mark_submitted([start_for_new_unit() for _ in range(3)])
    client.force_login(staff_of("晋城市人力资源和社会保障局", Role.CITY_REVIEWER))
    page = client.get(reverse("applications:list"), {"page": 2}).context["page_obj"]
    assert (page.number, len(page.object_list), page.paginator.count) == (2, 1, 3)


def test_pages_hold_the_scoped_rows_newest_first_without_gaps(client, start_for_new_unit, staff_of, settings):
    # Each page's rows are chosen by key first, then read with their related rows: the order must survive.
    settings.PAGE_SIZE = 2
    mark_submitted([start_for_new_unit() for _ in range(5)])
    reviewer = staff_of("晋城市人力资源和社会保障局", Role.CITY_REVIEWER)
    client.force_login(reviewer)
    shown = [
        application.number
        for number in (1, 2, 3)
        for application in client.get(reverse("applications:list"), {"page": number}).context["page_obj"]
    ]
    assert shown == [application.number for application in list_visible_applications(user=reviewer)]
    assert len(shown) == 5


def return_and_resubmit(application, applicant, reviewer):
    application = fire_transition(
        application=application,
        name="return_for_revision",
        actor=reviewer,
        comment="请补充材料。",
        payload={"resubmission_due": "2022-12-15"},
        at=IN_TIME,
    )
    return fire_transition(application=application, name="resubmit", actor=applicant, at=IN_TIME)


def test_status_page_queries_do_not_grow_with_history(client, applicant, submitted, county_reviewer):
    client.force_login(applicant)
    url = reverse("applications:detail", args=[submitted.public_id])
    one = count_queries(client, url)

    application = submitted
    for _ in range(3):
        application = return_and_resubmit(application, applicant, county_reviewer)
    response = client.get(url)
    content = response.content.decode()
    # created, submitted, then three times: returned, the reviewer's comment, resubmitted.
    assert len(response.context["history"]) == 2 + 3 * 3
    assert len(response.context["comments"]) == 3
    assert reverse("applications:version", args=[submitted.public_id, 4]) in content

    assert (one, count_queries(client, url)) == (STATUS_PAGE_QUERIES, STATUS_PAGE_QUERIES)
