"""评审结果表 reported upward (core.upward): the ranking's rows, as XLSX and DOCX with the sign-off boxes, through
HTTP as the call administrator (WebUser, CSRF on); another city's administrator gets 404."""

import io

import docx
import openpyxl
import pytest
from django.urls import reverse

from shenbao.audit.models import AuditEntry
from tests.web import WebUser

from .builders import uniform

pytestmark = pytest.mark.django_db
PASSWORD = "Test#pass2022"


@pytest.fixture
def scored(make_scored):
    return [
        make_scored("晋城市结果表第一机械有限公司", uniform(60, 25)),
        make_scored("晋城市结果表末位机械有限公司", uniform("39.5", 20), region="140521"),
    ]


def download(user, call, fmt):
    browser = WebUser()
    browser.log_in(user.username, PASSWORD)
    return browser.get(reverse("core:call_upward_report", args=[call.slug, "results", fmt]))


def test_the_results_table_as_xlsx_has_the_ranking_and_the_sign_off_boxes(scored, call, call_admin_user):
    response = download(call_admin_user, call, "xlsx")

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[cell for cell in row if cell is not None] for row in sheet.iter_rows(values_only=True)]
    assert values[0] == [f"{call.title}评审结果表"]
    assert values[1][:4] == ["序号", "项目类别", "排名", "申报编号"]
    first, last = scored
    assert values[2][2:] == ["1", first.number, first.unit.name, "城区", "85.00", "是", "复核通过，待专家评审"]
    assert values[3][2:6] == ["2", last.number, last.unit.name, "沁水县"]
    assert values[3][7] == "否"
    sign_off = values[-1]
    assert sign_off[0] == f"填报单位（盖章）：{call_admin_user.organisation.name}"
    assert [text.split("：")[0] for text in sign_off] == ["填报单位（盖章）", "负责人", "审核人", "填表人", "日期"]
    entry = AuditEntry.objects.filter(event="statistics:upward_report").latest("pk")
    assert entry.additional_data["kind"] == "results" and entry.additional_data["rows"] == 2


def test_the_results_table_as_docx(scored, call, call_admin_user):
    response = download(call_admin_user, call, "docx")

    document = docx.Document(io.BytesIO(response.content))
    assert document.paragraphs[0].text == f"{call.title}评审结果表"
    table, boxes = document.tables
    assert [cell.text for cell in table.rows[1].cells][3:5] == [scored[0].number, scored[0].unit.name]
    assert len(table.rows) == 3
    assert [cell.text.split("：")[0] for cell in boxes.rows[0].cells] == [
        "填报单位（盖章）",
        "负责人",
        "审核人",
        "填表人",
        "日期",
    ]


def test_another_citys_administrator_gets_404(scored, call, other_city_admin):
    assert download(other_city_admin, call, "xlsx").status_code == 404


def test_an_unknown_table_or_format_is_404(call, call_admin_user):
    browser = WebUser()
    browser.log_in(call_admin_user.username, PASSWORD)
    for kind, fmt in (("nonsense", "xlsx"), ("results", "pdf")):
        assert browser.get(reverse("core:call_upward_report", args=[call.slug, kind, fmt])).status_code == 404
