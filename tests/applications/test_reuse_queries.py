"""The 「从往年申报复制」 list reads a fixed number of queries, however many earlier applications the unit has."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shenbao.applications.models import Application
from shenbao.calls.models import ProjectType
from tests.calls.helpers import make_call

from .reuse_helpers import load_next_years_call, make_earlier_application

pytestmark = pytest.mark.django_db
# User, call (with its project types), organisation, roles, the startable project types, the unit's applications of
# this call, the earlier ones (with call and type) and unread notifications; no session write.
COPY_LIST_QUERIES = 11  # with the unit's 延期提交 (is the call still open for it)


def earlier_in_another_call(index, *, unit, user):
    """An application of `unit` to an older call (rows straight through the ORM: only the list is under test)."""
    call = make_call(slug=f"older-{index}", published_on=datetime.date(2015 + index, 12, 1), project_types=1)
    ProjectType.objects.filter(call=call).update(code="workstation")
    project_type = call.project_types.get()
    project_type.allowed_unit_types.add(unit.unit_type)
    return Application.objects.create(
        number=f"OLD{index}-01-0001", call=call, project_type=project_type, unit=unit, created_by=user
    )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_the_copy_list_queries_do_not_grow_with_earlier_applications(client, call, unit, applicant, tmp_path):
    make_earlier_application(call=call, unit=unit, user=applicant)
    new_call = load_next_years_call(directory=tmp_path)
    client.force_login(applicant)
    url = reverse("applications:copy", args=[new_call.slug])
    one, response = count_queries(client, url)
    assert len(response.context["earlier"]) == 1

    for index in range(5):
        earlier_in_another_call(index, unit=unit, user=applicant)
    many, response = count_queries(client, url)

    assert len(response.context["earlier"]) == 6
    assert [row["application"].call.year for row in response.context["earlier"]][:2] == [2022, 2019]
    assert one == many == COPY_LIST_QUERIES
