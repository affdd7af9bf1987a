"""The staff list (申报管理): each filter keeps exactly its rows and never widens the user's scope; the search;
saved views through the pages (logged in, CSRF on); applicants keep their own list."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shenbao.accounts.roles import Role
from shenbao.applications.models import Application, ReviewComment, SavedListView
from shenbao.applications.services import save_section
from shenbao.audit.models import AuditEntry
from shenbao.organisations.models import Region, UnitType
from tests.applications.builders import county_bureau_of, workstation_sections
from tests.factories import UserFactory
from tests.web import WebUser

from .search_rows import bulk_applications

pytestmark = pytest.mark.django_db
LIST_URL = reverse("applications:list")
ADMIN_OFFICE = "晋城市人力资源和社会保障局技能办"


@pytest.fixture
def admin(reference, staff_of):
    return staff_of(ADMIN_OFFICE, Role.CALL_ADMIN)


@pytest.fixture
def build(call, workstation_type, admin):
    def make(count=2, **fields):
        return bulk_applications(call=call, project_type=workstation_type, created_by=admin, count=count, **fields)

    return make


def listed(client, params):
    response = client.get(LIST_URL, params)
    assert response.status_code == 200
    return sorted(application.number for application, _values in response.context["rows"])


def numbers(applications):
    return sorted(application.number for application in applications)


# (GET parameters, the matching rows' fields, the other rows' fields); the parameters may name reference objects.
CASES = {
    "leader": ({"q": "李卫东"}, {"leader": "李卫东"}, {"leader": "王建国"}),
    "unit_name": ({"q": "精密"}, {"name": "晋城市精密测试单位"}, {}),
    "industry": ({"industry": "新材料"}, {"industry": "新材料"}, {}),
    "state": ({"state": "returned"}, {"status": "returned"}, {}),
    "county": ({"county": "region:140521"}, {"region": "140521"}, {}),
    "first_review_body": ({"first_review_body": "bureau:140521"}, {"region": "140521"}, {}),
    "unit_type": ({"unit_type": "type:vocational_college"}, {"unit_type": "vocational_college"}, {}),
    "flag_conflict": ({"flags": "person_conflict"}, {"flags": ("person_conflict",)}, {}),
    "flag_returned": ({"flags": "returned"}, {"flags": ("returned",)}, {}),
    "flag_paper": ({"flags": "paper_received"}, {"flags": ("paper_received",)}, {}),
    "flag_scan": ({"flags": "signed_scan"}, {"flags": ("signed_scan",)}, {}),
    "flag_extension": ({"flags": "extension"}, {"flags": ("extension",)}, {}),
}


def _resolve(value):
    if isinstance(value, str) and ":" in value:
        kind, key = value.split(":")
        if kind == "region":
            return Region.objects.get(key=key).pk
        if kind == "bureau":
            return county_bureau_of(key).pk
        return UnitType.objects.get(code=key).pk
    return value


@pytest.mark.parametrize("case", CASES)
def test_each_filter_keeps_exactly_its_rows(client, admin, build, case):
    params, matching_fields, other_fields = CASES[case]
    matching = build(**matching_fields)
    others = build(**other_fields)
    client.force_login(admin)

    assert listed(client, {}) == numbers(matching + others)
    assert listed(client, {name: _resolve(value) for name, value in params.items()}) == numbers(matching)


def test_the_score_range_keeps_the_rankings_final_scores_in_it(client, admin, build):
    high, low, unscored = build(score=85), build(score=70), build()
    client.force_login(admin)
    assert listed(client, {"score_min": "80"}) == numbers(high)
    assert listed(client, {"score_max": "75"}) == numbers(low)
    assert listed(client, {"score_min": "70", "score_max": "85"}) == numbers(high + low)
    assert listed(client, {}) == numbers(high + low + unscored)


def test_a_return_at_the_recheck_marks_the_application_too(client, admin, build):
    first, second = build(flags=("returned",))
    build()
    ReviewComment.objects.filter(application=second).update(transition="recheck_return")
    client.force_login(admin)
    assert listed(client, {"flags": "returned"}) == numbers([first, second])


def test_search_finds_a_credit_code_and_a_number(client, admin, build):
    first, second = build()
    client.force_login(admin)
    assert listed(client, {"q": first.unit.credit_code.lower()}) == [first.number]
    assert listed(client, {"q": second.number}) == [second.number]


def test_call_year_and_project_type_filters(client, admin, build, call):
    rows = build()
    client.force_login(admin)
    assert listed(client, {"call": call.pk, "year": call.year, "project_type": "workstation"}) == numbers(rows)
    assert listed(client, {"project_type": "training_base"}) == []


def test_a_filter_never_reaches_outside_the_scope(client, build):
    own = build(region="140502")
    build(region="140521")
    reviewer = UserFactory(organisation=county_bureau_of("140502"), roles=[Role.COUNTY_REVIEWER])
    client.force_login(reviewer)
    assert listed(client, {}) == numbers(own)
    # Another county's region or body is not even a choice of the form: the list says so and shows no rows.
    response = client.get(LIST_URL, {"county": Region.objects.get(key="140521").pk})
    assert response.context["form"].errors["county"] and response.context["rows"] == []


def test_sorting_by_unit_name_and_an_unknown_sort_is_refused(client, admin, build):
    rows = build(count=3)
    client.force_login(admin)
    response = client.get(LIST_URL, {"sort": "-unit", "columns": ["unit", "number"]})
    # The columns come in the list's own order, whatever order the URL names them in.
    assert [values for _application, values in response.context["rows"]] == [
        [row.number, row.unit.name] for row in sorted(rows, key=lambda row: row.unit.name, reverse=True)
    ]
    refused = client.get(LIST_URL, {"sort": "unit__credit_code"})
    assert refused.context["form"].errors["sort"] and refused.context["rows"] == []


def test_an_applicant_keeps_the_own_simple_list(client, applicant, draft):
    client.force_login(applicant)
    response = client.get(LIST_URL)
    assert response.templates[0].name == "applications/application_list.html"
    assert list(response.context["page_obj"]) == [draft]


def test_a_view_is_saved_applied_and_deleted_through_the_pages(admin, build, password):
    rows = build(industry="新材料")
    build()
    web = WebUser()
    web.log_in(admin.username, password)
    query = "industry=%E6%96%B0%E6%9D%90%E6%96%99&sort=-unit&page=3&stray=1"

    saved = web.post(reverse("applications:save_view"), {"name": "新材料企业", "query": query}, form_url=LIST_URL)

    view = SavedListView.objects.get(owner=admin)
    assert (view.name, view.query) == ("新材料企业", "industry=%E6%96%B0%E6%9D%90%E6%96%99&sort=-unit")
    assert saved.status_code == 302 and saved["Location"] == f"{LIST_URL}?{view.query}"
    page = web.get(LIST_URL).content.decode()
    assert f'href="{LIST_URL}?{view.query.replace("&", "&amp;")}">新材料企业</a>' in page
    applied = web.get(f"{LIST_URL}?{view.query}")
    assert sorted(application.number for application, _values in applied.context["rows"]) == numbers(rows)

    deleted = web.post(reverse("applications:delete_view", kwargs={"public_id": view.public_id}), form_url=LIST_URL)
    assert deleted.status_code == 302 and not SavedListView.objects.exists()
    events = AuditEntry.objects.filter(event__in=["applications:save_list_view", "applications:delete_list_view"])
    assert [entry.event for entry in events.order_by("pk")] == [
        "applications:save_list_view",
        "applications:delete_list_view",
    ]


def test_another_persons_view_cannot_be_deleted(admin, staff_of, password):
    other = staff_of(ADMIN_OFFICE, Role.CITY_REVIEWER)
    view = SavedListView.objects.create(owner=other, name="他人的视图", query="state=submitted")
    web = WebUser()
    web.log_in(admin.username, password)
    response = web.post(reverse("applications:delete_view", kwargs={"public_id": view.public_id}), form_url=LIST_URL)
    assert response.status_code == 404 and SavedListView.objects.filter(pk=view.pk).exists()


def test_saving_a_section_keeps_the_search_columns(draft, applicant):
    sections = workstation_sections()
    saved = save_section(
        application=draft,
        section_key="station",
        data=sections["station"],
        user=applicant,
        expected_revision=draft.revision,
    )
    saved = save_section(
        application=saved,
        section_key="unit_profile",
        data=sections["unit_profile"],
        user=applicant,
        expected_revision=saved.revision,
    )
    stored = Application.objects.get(pk=draft.pk)
    assert (stored.leader_name, stored.industry) == (
        stored.form_data["station"]["leader_name"],
        stored.form_data["unit_profile"]["industry"],
    )
    assert stored.leader_name and stored.industry


def test_the_filter_choices_are_read_once_per_audited_change(admin, build, password, draft, applicant, settings):
    """Building the choices reads every visible application six times (most of a large city's list): they are
    kept per reader until the next audited change."""
    settings.SHENBAO_PORTAL_CACHE_SECONDS = 300
    cache.clear()
    build(region="140502")
    web = WebUser()
    web.log_in(admin.username, password)

    def counties():
        with CaptureQueriesContext(connection) as queries:
            response = web.get(LIST_URL)
        chosen = [pk for pk, _name in response.context["form"].fields["county"].choices if pk]
        keys = Region.objects.filter(pk__in=chosen)
        return {region.key for region in keys}, len(queries)

    first, built = counties()
    build(region="140521")  # written in bulk, as a migration would: no audit entry, so not seen yet
    second, cached = counties()
    assert first == second == {"140502"} and cached == built - 6

    sections = workstation_sections()  # an applicant saves a section: an audited change anywhere
    save_section(
        application=draft, section_key="station", data=sections["station"], user=applicant, expected_revision=0
    )
    third, rebuilt = counties()
    assert third == {"140502", "140521"} and rebuilt == built
    cache.clear()
