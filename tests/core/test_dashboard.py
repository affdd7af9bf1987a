import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_dashboard_requires_login(client):
    response = client.get(reverse("core:dashboard"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "next=/dashboard/" in response["Location"]


def test_dashboard_shows_organisation_and_roles(client, applicant):
    client.force_login(applicant)

    response = client.get(reverse("core:dashboard"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "王经办" in content
    assert applicant.organisation.name in content
    assert "申报单位经办人" in content
    assert reverse("accounts:profile") in content and reverse("accounts:password_change") in content


def test_applicant_sees_calls_and_own_unit_but_no_administration(client, applicant):
    client.force_login(applicant)

    content = client.get(reverse("core:dashboard")).content.decode()

    assert f'href="{reverse("calls:list")}"' in content
    assert f'href="{reverse("organisations:list")}"' in content
    assert "审计日志" not in content and reverse("audit:list") not in content
    assert "用户管理" not in content and reverse("accounts:user_list") not in content


def test_audit_admin_sees_the_audit_trail_and_nothing_of_the_other_administrators(client, audit_admin):
    client.force_login(audit_admin)

    content = client.get(reverse("core:dashboard")).content.decode()

    assert "审计日志" in content and f'href="{reverse("audit:list")}"' in content
    assert reverse("accounts:user_list") not in content
    assert reverse("organisations:list") not in content


def test_system_admin_manages_users_but_does_not_read_the_audit_trail(client, system_admin):
    client.force_login(system_admin)

    content = client.get(reverse("core:dashboard")).content.decode()

    assert f'href="{reverse("accounts:user_list")}"' in content
    assert reverse("audit:list") not in content


def test_organisation_figure_counts_only_what_the_reviewer_may_see(client, county_reviewer):
    county = county_reviewer.organisation.region
    OrganisationFactory.create_batch(3, region=county)
    OrganisationFactory.create_batch(2)  # other counties: outside this reviewer's scope
    client.force_login(county_reviewer)

    dashboard = client.get(reverse("core:dashboard")).context["dashboard"]

    figures = {str(card.label): card.figure for card in dashboard.cards}
    # The reviewer's own bureau plus the three applicant units of its county.
    assert figures["单位管理"] == 4


def test_dashboard_without_roles_says_so(client):
    client.force_login(UserFactory())

    content = client.get(reverse("core:dashboard")).content.decode()

    assert "尚未授予角色" in content


# The whole page's queries, exactly: the same with one row as with many, so a fixed extra query fails too.
COUNTY_REVIEWER_DASHBOARD_QUERIES = 10


def _dashboard_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("core:dashboard")).status_code == 200
    return len(queries)


def test_dashboard_query_count_does_not_grow_with_organisations(client, county_reviewer):
    county = county_reviewer.organisation.region
    OrganisationFactory(region=county)
    client.force_login(county_reviewer)
    few = _dashboard_queries(client)
    OrganisationFactory.create_batch(10, region=county)

    many = _dashboard_queries(client)
    assert (few, many) == (COUNTY_REVIEWER_DASHBOARD_QUERIES, COUNTY_REVIEWER_DASHBOARD_QUERIES)


def test_user_figure_counts_every_account_for_the_system_admin(client, system_admin):
    UserFactory.create_batch(3)
    client.force_login(system_admin)

    dashboard = client.get(reverse("core:dashboard")).context["dashboard"]

    figures = {str(card.label): card.figure for card in dashboard.cards}
    assert figures["用户管理"] == 4
    assert "审计日志" not in figures
