"""Query counts of the expert app's list pages, pinned exactly at one row and at many."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shenbao.accounts.roles import Role
from shenbao.experts.models import Assignment
from shenbao.experts.services import (
    assign_experts,
    create_session,
    generate_slots,
    notify_applicants,
    swap_assignment,
)
from tests.factories import UserFactory

from .builders import make_application, make_expert, make_panel, make_unit

pytestmark = pytest.mark.django_db


# The whole page's queries, exactly: the same with one row as with many, so a fixed extra query fails too.
POOL_QUERIES = 9
PANEL_QUERIES = 14
PANELS_QUERIES = 13
# Page count included: the list is paginated (a province's expert can hold scores of tasks).
MY_ASSIGNMENTS_QUERIES = 9
MY_DEFENCE_QUERIES = 6
SESSION_QUERIES = 8


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_pool_query_count_does_not_grow(client, admin, call):
    make_expert(admin)
    client.force_login(admin)
    one = count_queries(client, reverse("experts:pool"))
    for _ in range(12):
        make_expert(admin)
    assert (one, count_queries(client, reverse("experts:pool"))) == (POOL_QUERIES, POOL_QUERIES)


def test_panel_page_query_count_does_not_grow(client, admin, call, workstation_type):
    experts = [make_expert(admin, region_key=county) for county in ("140521", "140522", "140524", "140525")]
    panel = make_panel(admin, call, workstation_type, experts, per_application=2)
    make_application(make_unit("140502"), workstation_type)
    assign_experts(panel=panel, actor=admin)
    url = reverse("experts:panel_detail", args=[panel.public_id])
    client.force_login(admin)
    one = count_queries(client, url)
    for _ in range(8):
        make_application(make_unit("140502"), workstation_type)
    assign_experts(panel=panel, actor=admin)
    first = Assignment.objects.filter(panel=panel).first()
    swap_assignment(assignment=first, actor=admin, reason="测试")
    assert (one, count_queries(client, url)) == (PANEL_QUERIES, PANEL_QUERIES)
    assert count_queries(client, reverse("experts:panels")) == PANELS_QUERIES


def test_expert_and_applicant_lists_query_counts_do_not_grow(client, admin, call, workstation_type, base_type):
    experts = [make_expert(admin, region_key=county) for county in ("140521", "140522")]
    panel = make_panel(admin, call, workstation_type, experts, per_application=2)
    unit = make_unit("140502")
    applicant = UserFactory(organisation=unit, roles=[Role.APPLICANT])
    make_application(unit, workstation_type)
    assign_experts(panel=panel, actor=admin)
    session = create_session(
        panel=panel,
        actor=admin,
        date=datetime.date(2023, 1, 10),
        start_time=datetime.time(9),
        place="会议室",
        presentation_minutes=10,
        questions_minutes=5,
    )
    generate_slots(session=session, actor=admin)
    notify_applicants(session=session, actor=admin)
    urls = {
        experts[0].user: reverse("experts:my_assignments"),
        applicant: reverse("experts:my_defence"),
        admin: reverse("experts:session_detail", args=[session.public_id]),
    }
    one = {}
    for user, url in urls.items():
        client.force_login(user)
        one[user] = count_queries(client, url)
    for _ in range(8):
        make_application(make_unit("140502"), workstation_type)
    assign_experts(panel=panel, actor=admin)
    generate_slots(session=session, actor=admin)
    notify_applicants(session=session, actor=admin)
    # The unit's second application (the other project type) gives the applicant's page a second row.
    make_application(unit, base_type)
    base_panel = make_panel(admin, call, base_type, experts, per_application=2)
    assign_experts(panel=base_panel, actor=admin)
    base_session = create_session(
        panel=base_panel,
        actor=admin,
        date=datetime.date(2023, 1, 11),
        start_time=datetime.time(9),
        place="会议室",
        presentation_minutes=10,
        questions_minutes=5,
    )
    generate_slots(session=base_session, actor=admin)
    notify_applicants(session=base_session, actor=admin)
    pinned = {
        experts[0].user: MY_ASSIGNMENTS_QUERIES,
        applicant: MY_DEFENCE_QUERIES,
        admin: SESSION_QUERIES,
    }
    assert one == pinned
    for user, url in urls.items():
        client.force_login(user)
        assert count_queries(client, url) == pinned[user], url
