"""The staff list reads a fixed number of queries with each filter, with one matching row as with a thousand.

The rows are built in bulk (`search_rows`). The reviewer is a county's (城区); the one application of another
county (沁水县) names the same person as every 城区 application, so the person-ID conflict flag has a partner at
one row too, while that application itself stays outside the reviewer's list.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shenbao.accounts.roles import Role
from shenbao.organisations.models import Region, UnitType
from tests.applications.builders import county_bureau_of
from tests.factories import UserFactory

from .search_rows import FLAGS, bulk_applications

pytestmark = pytest.mark.django_db

# The whole page's queries, exactly, whatever the filter and however many rows match: the session, the user, the
# roles and the organisation (4), the filter form's choices (6), the count and the page (2), the saved views (1)
# and the menu's unread notifications (1).
LIST_QUERIES = 14
# The score range adds the rankings of the filtered rows' project types (scoring.selectors.list_final_scores): the
# project types (2), the ranking's candidates and their assignments with sheets (2) and its tie breaks (1) for the
# one project type here, however many rows the ranking holds.
SCORE_QUERIES = 5


def _filters(call, county, unit_type):
    """Each filter of the list as its GET parameters, every one matching every built row."""
    return {
        "none": {},
        "text": {"q": "王建国"},
        "credit_code_or_name": {"q": "批量测试"},
        "call": {"call": call.pk},
        "year": {"year": call.year},
        "project_type": {"project_type": "workstation"},
        "first_review_body": {"first_review_body": county_bureau_of("140502").pk},
        "county": {"county": county.pk},
        "state": {"state": "submitted"},
        "unit_type": {"unit_type": unit_type.pk},
        "industry": {"industry": "装备制造"},
        **{f"flag_{flag}": {"flags": flag} for flag in FLAGS},
        "all_flags": {"flags": list(FLAGS)},
        "score_range": {"score_min": "80", "score_max": "90"},
        "sort_unit": {"sort": "-unit"},
        "columns": {"columns": ["number", "credit_code", "leader_name", "industry", "paper_copies", "unit_type"]},
    }


def _measure(client, url, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries), response.context["page_obj"].paginator.count


def test_each_filter_reads_the_same_queries_at_one_and_a_thousand_rows(client, call, workstation_type, reference):
    reviewer = UserFactory(organisation=county_bureau_of("140502"), roles=[Role.COUNTY_REVIEWER])
    client.force_login(reviewer)
    url = reverse("applications:list")
    build = {"call": call, "project_type": workstation_type, "created_by": reviewer, "flags": FLAGS, "score": 85}
    bulk_applications(count=1, region="140521", name="沁水县伙伴单位", **build)  # the conflict's partner
    bulk_applications(count=1, **build)
    filters = _filters(call, Region.objects.get(key="140502"), UnitType.objects.get(code="enterprise"))

    at_one = {name: _measure(client, url, params) for name, params in filters.items()}
    bulk_applications(count=999, **build)
    at_thousand = {name: _measure(client, url, params) for name, params in filters.items()}

    expected = {name: LIST_QUERIES for name in filters} | {"score_range": LIST_QUERIES + SCORE_QUERIES}
    assert at_one == {name: (expected[name], 1) for name in filters}
    assert at_thousand == {name: (expected[name], 1000) for name in filters}
