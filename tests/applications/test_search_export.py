"""Export of the staff list (kind "applications.list"): exactly the filtered rows, nothing outside the user's scope,
the chosen columns, as XLSX and as CSV with a BOM, formula-looking text never a formula. Through the pages
(logged in, CSRF on) and the export job, as the administrator does it."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from shenbao.accounts.roles import Role
from shenbao.applications.models import Application
from shenbao.exports.models import ExportJob
from shenbao.organisations.models import Region
from tests.applications.builders import county_bureau_of
from tests.applications.test_materials import make_project_type
from tests.exports.jobs import export_through_pages
from tests.factories import GovernmentBodyFactory, UserFactory
from tests.web import WebUser

from .search_rows import bulk_applications

pytestmark = pytest.mark.django_db
LIST_URL = reverse("applications:list")
EXPORT_URL = reverse("exports:request", kwargs={"kind": "applications.list"})


@pytest.fixture
def admin(reference, staff_of):
    return staff_of("晋城市人力资源和社会保障局技能办", Role.CALL_ADMIN)


@pytest.fixture
def rows(call, workstation_type, admin, other_city_admin):
    """新材料 applications in two counties, others of another industry, a draft, and another city's 新材料 rows."""
    build = {"call": call, "project_type": workstation_type, "created_by": admin}
    bulk_applications(count=4, industry="新材料", region="140502", **build)
    bulk_applications(count=3, industry="新材料", region="140521", **build)
    bulk_applications(count=2, industry="装备制造", **build)
    bulk_applications(count=1, industry="新材料", status="draft", **build)
    elsewhere = make_project_type(city=Region.objects.get(key="140100"), slug="taiyuan-2022")
    county = Region.objects.get(key="140105")
    bulk_applications(
        count=2,
        industry="新材料",
        region="140105",
        call=elsewhere.call,
        project_type=elsewhere,
        created_by=other_city_admin,
        body=GovernmentBodyFactory(region=county, function="county_hr_bureau"),
        name="太原市批量测试单位",
    )


def export(web, capture, **data):
    return export_through_pages(web, capture, kind="applications.list", data=data, form_url=LIST_URL)


def expected_numbers(**filters):
    """The rows computed here from the database, not through the list's scope rule: the city's submitted ones."""
    found = Application.objects.filter(call__city__key="140500", **filters).exclude(status="draft")
    return sorted(found.values_list("number", flat=True))


def test_the_xlsx_holds_exactly_the_filtered_rows_of_the_scope(
    rows, admin, password, django_capture_on_commit_callbacks
):
    web = WebUser()
    web.log_in(admin.username, password)
    job, content = export(
        web,
        django_capture_on_commit_callbacks,
        query="industry=新材料&sort=number",
        format="xlsx",
        export_columns=["number", "unit", "industry", "county"],
    )

    sheet = load_workbook(io.BytesIO(content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("申报编号", "申报单位", "所在区域", "所属行业")  # the list's own column order
    assert [row[0] for row in values[1:]] == expected_numbers(industry="新材料") and len(values) == 8
    assert job.rows_total == job.rows_written == 7 and job.filename.endswith(".xlsx")
    assert not any("太原" in row[1] for row in values[1:])
    assert {row[3] for row in values[1:]} == {"新材料"}


def test_a_county_reviewers_csv_holds_only_the_countys_rows(rows, call, password, django_capture_on_commit_callbacks):
    reviewer = UserFactory(organisation=county_bureau_of("140502"), roles=[Role.COUNTY_REVIEWER])
    web = WebUser()
    web.log_in(reviewer.username, password)
    _job, content = export(
        web, django_capture_on_commit_callbacks, query="industry=新材料", format="csv", export_columns=["number"]
    )

    assert content.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert lines[0] == ["申报编号"]
    assert sorted(line[0] for line in lines[1:]) == expected_numbers(industry="新材料", unit__region__key="140502")
    assert len(lines) == 5


def test_a_cell_that_looks_like_a_formula_stays_text(
    call, workstation_type, admin, password, django_capture_on_commit_callbacks
):
    bulk_applications(count=1, call=call, project_type=workstation_type, created_by=admin, leader="=HYPERLINK(1)")
    web = WebUser()
    web.log_in(admin.username, password)
    _job, xlsx = export(web, django_capture_on_commit_callbacks, format="xlsx", export_columns=["leader_name"])
    _job, text = export(web, django_capture_on_commit_callbacks, format="csv", export_columns=["leader_name"])

    cell = load_workbook(io.BytesIO(xlsx)).active["A2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=HYPERLINK(1)", "s", True)
    assert text.decode("utf-8-sig").splitlines()[1] == "'=HYPERLINK(1)"


def test_an_unknown_column_or_format_is_refused(admin, password):
    web = WebUser()
    web.log_in(admin.username, password)
    refused = web.post(EXPORT_URL, {"format": "xlsx", "export_columns": ["unit__contact_phone"]}, form_url=LIST_URL)
    assert refused.status_code == 400 and not ExportJob.objects.exists()
    refused = web.post(EXPORT_URL, {"format": "ods", "export_columns": ["number"]}, form_url=LIST_URL)
    assert refused.status_code == 400 and not ExportJob.objects.exists()


def test_an_applicant_may_not_export_the_list(applicant, password):
    web = WebUser()
    web.log_in(applicant.username, password)
    response = web.post(EXPORT_URL, {"format": "csv", "export_columns": ["number"]}, form_url=LIST_URL)
    assert response.status_code == 404 and not ExportJob.objects.exists()
