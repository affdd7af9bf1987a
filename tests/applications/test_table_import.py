"""Excel import of the form's tables through the section page (WebUser: real middleware, CSRF on)."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from shenbao.applications.formdata import reveal_id_number
from shenbao.applications.models import Application
from shenbao.applications.sections import get_form_spec
from shenbao.applications.tableimport import IMPORTABLE_TABLES, importable_tables
from shenbao.audit.models import AuditEntry
from tests.web import WebUser

from .builders import fill_sections, make_id_number, workstation_sections

pytestmark = pytest.mark.django_db

MEMBER_LABELS = [
    "姓名",
    "性别",
    "出生年月",
    "身份证号码",
    "职业（工种）",
    "技能等级",
    "证书编号",
    "发证机构",
    "所在岗位",
    "领衔人",
    "主要业绩",
]


@pytest.fixture
def web(applicant, password):
    user = WebUser()
    user.log_in(applicant.username, password)
    return user


def xlsx(rows, header=None):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header or MEMBER_LABELS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)  # a file as a unit's Excel writes it (formulas included), not an export of ours
    return buffer.getvalue()


def member_row(n, level="技师", name=None):
    return [
        name or f"导入成员{n}",
        "男",
        datetime.datetime(1980, 1 + n % 12, 1),  # Excel keeps a typed 年-月 as a date
        make_id_number(n),
        "焊工",
        level,
        f"ZS{n:04d}",
        "山西省人社厅",
        "焊接车间",
        "是" if n == 1 else "",
        "",
    ]


def upload(web, application, content, *, name="members.xlsx", key="members", table="members"):
    url = reverse("applications:table_import", args=[application.public_id, key, table])
    form_url = reverse("applications:section", args=[application.public_id, key])
    return web.post(url, {"file": SimpleUploadedFile(name, content)}, form_url=form_url)


def template_url(application, key="members", table="members"):
    return reverse("applications:table_xlsx", args=[application.public_id, key, table])


def test_the_section_page_offers_the_import_of_its_allowed_tables(web, draft):
    page = web.get(reverse("applications:section", args=[draft.public_id, "members"])).content.decode()
    assert "从Excel导入「成员名单」" in page and template_url(draft) in page
    # Every allowed table exists in one of the forms (a renamed table would silently lose its import).
    spec_tables = {
        (section.key, table.name)
        for spec in (
            get_form_spec(draft.project_type),
            get_form_spec(draft.call.project_types.get(code="training_base")),
        )
        for section in spec.sections
        for table in importable_tables(section)
    }
    assert spec_tables == IMPORTABLE_TABLES


def test_the_template_has_the_column_labels_and_an_explanation_sheet(web, draft):
    response = web.get(template_url(draft))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet, notes = workbook.worksheets
    assert [cell.value for cell in sheet[1]] == MEMBER_LABELS
    assert sheet.max_row == 1  # no rows yet
    explained = {row[0]: row[2] for row in notes.iter_rows(min_row=2, values_only=True) if row and row[0]}
    assert "技师" in explained["技能等级"] and "高级工" in explained["技能等级"]
    assert "18位" in explained["身份证号码"]


def test_a_good_file_replaces_the_rows(web, draft, applicant):
    draft = fill_sections(application=draft, user=applicant, sections=workstation_sections(qualified=1))
    rows = [member_row(n) for n in (11, 12, 13)] + [member_row(14, level="高级工")]
    rows[0][9] = "是"

    response = upload(web, draft, xlsx(rows))

    assert response.status_code == 302
    draft = Application.objects.get(pk=draft.pk)
    members = draft.form_data["members"]["members"]
    assert [row["name"] for row in members] == ["导入成员11", "导入成员12", "导入成员13", "导入成员14"]
    assert [row["level"] for row in members] == ["technician"] * 3 + ["senior_worker"]
    assert reveal_id_number(members[0]["id_number"]) == make_id_number(11)
    assert members[0]["is_leader"] is True and members[1]["is_leader"] is False
    assert (members[0]["sex"], members[0]["birth_month"], members[0]["post"]) == ("male", "1980-12", "焊接车间")
    qualified = next(result for result in draft.eligibility if result["code"] == "qualified-members")
    assert (qualified["value"], qualified["passed"]) == (3, True)
    assert draft.form_data["unit_profile"]["industry"] == "装备制造"  # the rest of the form is untouched
    assert AuditEntry.objects.filter(event="application:import_table", object_pk=str(draft.pk)).exists()
    assert "已从Excel导入「成员名单」共4行" in web.get(response.url).content.decode()


def test_a_bad_file_reports_row_and_column_and_changes_nothing(web, draft, applicant):
    draft = fill_sections(application=draft, user=applicant, sections=workstation_sections())
    before = Application.objects.get(pk=draft.pk)
    bad_id = member_row(2)
    bad_id[3] = make_id_number(2)[:-1] + ("0" if make_id_number(2)[-1] != "0" else "1")
    rows = [member_row(1), bad_id, member_row(3, level="大师")]

    response = upload(web, draft, xlsx(rows))

    assert response.status_code == 200
    page = response.content.decode()
    assert "第3行「身份证号码」：身份证号码校验位不正确" in page
    assert "第4行「技能等级」：请从列表中选择" in page
    after = Application.objects.get(pk=draft.pk)
    assert (after.form_data, after.revision) == (before.form_data, before.revision)


def test_a_formula_looking_cell_is_stored_as_text_and_exported_safely(web, draft):
    formula = '=HYPERLINK("http://example.com/x","点我")'
    rows = [member_row(1, name=formula), member_row(2, name="+1+1"), member_row(3)]

    assert upload(web, draft, xlsx(rows)).status_code == 302

    members = Application.objects.get(pk=draft.pk).form_data["members"]["members"]
    assert [row["name"] for row in members[:2]] == [formula, "+1+1"]
    sheet = load_workbook(io.BytesIO(web.get(template_url(draft)).content)).worksheets[0]
    for cell in (sheet["A2"], sheet["A3"]):
        assert cell.data_type == "s" and cell.quotePrefix
    assert sheet["A2"].value == formula
    assert sheet["D2"].value == "140502********" + make_id_number(1)[-4:]  # the export masks 身份证号码


def test_the_masked_numbers_of_the_template_keep_the_stored_ones(web, draft):
    assert upload(web, draft, xlsx([member_row(n) for n in (1, 2, 3)])).status_code == 302
    before = Application.objects.get(pk=draft.pk).form_data["members"]["members"]
    exported = web.get(template_url(draft)).content

    assert upload(web, draft, exported).status_code == 302

    after = Application.objects.get(pk=draft.pk).form_data["members"]["members"]
    assert [row["id_number"] for row in after] == [row["id_number"] for row in before]


@pytest.mark.parametrize(
    "name,content",
    [
        ("members.xlsx", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"),
        ("members.xlsx", "姓名,身份证号码\n张三,1\n".encode()),  # fullwidth-ok: CSV
        ("members.docx", b"PK\x03\x04not really a zip"),
    ],
    ids=["pdf-named-xlsx", "csv-named-xlsx", "broken-zip"],
)
def test_a_file_that_is_not_an_xlsx_workbook_is_refused(web, draft, name, content):
    response = upload(web, draft, content, name=name)
    assert response.status_code == 200
    assert "文件内容不是Excel（.xlsx）工作簿" in response.content.decode()
    assert Application.objects.get(pk=draft.pk).revision == draft.revision


def test_a_missing_column_and_too_many_rows_are_refused(web, draft):
    response = upload(web, draft, xlsx([member_row(1)], header=MEMBER_LABELS[:5]))
    assert "第1行缺少列：「技能等级」" in response.content.decode()
    many = [member_row(n % 900 + 1) for n in range(201)]
    assert "最多200行" in upload(web, draft, xlsx(many)).content.decode()
    assert Application.objects.get(pk=draft.pk).revision == draft.revision


def test_a_table_without_import_and_a_submitted_application_are_refused(web, submitted):
    assert web.get(template_url(submitted, key="mentoring", table="pairs")).status_code == 404
    response = upload(web, submitted, xlsx([member_row(1)]))
    assert response.status_code == 403


def test_a_template_downloaded_before_full_width_labels_still_imports(web, draft, applicant):
    # fullwidth-ok: the header as templates carried it before issue 12
    old_header = [label.replace("（", "(").replace("）", ")") for label in MEMBER_LABELS]
    assert old_header != MEMBER_LABELS

    response = upload(web, draft, xlsx([member_row(21)], header=old_header))

    assert response.status_code == 302
    members = Application.objects.get(pk=draft.pk).form_data["members"]["members"]
    assert [row["name"] for row in members] == ["导入成员21"]
