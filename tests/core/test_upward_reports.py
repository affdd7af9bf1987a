"""申报情况汇总表 reported upward (core.upward): every submitted application of the call, nothing of another call
or city, the sign-off boxes, as XLSX and DOCX; the template is the repository's data/templates file."""

import io

import docx
import openpyxl
import pytest
from django.urls import reverse

from shenbao.applications.models import Application
from shenbao.applications.workflow import ApplicationStatus
from shenbao.core.spreadsheets import FORMULA_PREFIXES
from shenbao.core.upward import load_templates
from shenbao.organisations.models import Organisation
from tests.web import WebUser

from .statistics_data import PASSWORD, build_dataset

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return build_dataset()


def fetch(data, fmt):
    browser = WebUser()
    browser.log_in(data["admin"].username, PASSWORD)
    call = data["calls"][0]
    return browser.get(reverse("core:call_upward_report", args=[call.slug, "summary", fmt]))


def expected_numbers(call):
    return set(
        Application.objects.filter(call=call).exclude(status=ApplicationStatus.DRAFT).values_list("number", flat=True)
    )


def test_the_summary_as_xlsx_lists_exactly_the_calls_submitted_applications(data):
    call = data["calls"][0]
    sheet = openpyxl.load_workbook(io.BytesIO(fetch(data, "xlsx").content)).active
    rows = list(sheet.iter_rows(values_only=True))
    template = load_templates()["summary"]

    assert rows[0][0] == template["title"].format(call_title=call.title, year=call.year)
    assert list(rows[1]) == [column["label"] for column in template["columns"]]
    body = [row for row in rows[2:] if row[0] and str(row[0]).isdigit()]
    assert {row[2] for row in body} == expected_numbers(call) and len(body) == 10
    assert [row[0] for row in body] == [str(n) for n in range(1, 11)]
    signs = [cell for cell in rows[-1] if cell]
    assert signs[0] == f"填报单位（盖章）：{data['admin'].organisation.name}"
    assert [text.split("：")[0] for text in signs] == ["填报单位（盖章）", "负责人", "填表人", "联系电话", "日期"]


def test_the_summary_as_docx(data):
    call = data["calls"][0]
    document = docx.Document(io.BytesIO(fetch(data, "docx").content))
    table, boxes = document.tables

    assert document.paragraphs[0].text.startswith(call.title)
    assert {row.cells[2].text for row in table.rows[1:]} == expected_numbers(call)
    assert boxes.rows[0].cells[0].text == f"填报单位（盖章）：{data['admin'].organisation.name}"
    assert document.sections[0].page_width > document.sections[0].page_height  # landscape A4


def test_a_city_reviewer_may_read_the_statistics_but_not_make_the_upward_tables(data):
    from shenbao.accounts.roles import Role
    from tests.factories import UserFactory

    from .statistics_data import CITY_BUREAU

    reviewer = UserFactory(organisation=Organisation.objects.get(name=CITY_BUREAU), roles=[Role.CITY_REVIEWER])
    browser = WebUser()
    browser.log_in(reviewer.username, PASSWORD)
    call = data["calls"][0]
    assert browser.get(reverse("core:call_statistics", args=[call.slug])).status_code == 200
    assert browser.get(reverse("core:call_upward_report", args=[call.slug, "summary", "xlsx"])).status_code == 403


def test_a_unit_name_that_looks_like_a_formula_stays_text(data):
    application = Application.objects.filter(call=data["calls"][0]).exclude(status=ApplicationStatus.DRAFT).first()
    name = '=HYPERLINK("http://example.com","点击")'
    Organisation.objects.filter(pk=application.unit_id).update(name=name)

    sheet = openpyxl.load_workbook(io.BytesIO(fetch(data, "xlsx").content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == name]

    assert len(cells) == 1
    assert cells[0].data_type == "s" and cells[0].quotePrefix
    formulas = [cell for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    assert formulas == [] and name.startswith(FORMULA_PREFIXES)
