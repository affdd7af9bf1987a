"""The editable Word documents: same data as the PDF, Chinese fonts declared for Word.

Every document read here is rendered once for the module (`rendered`, see builders.Rendered).
"""

import pytest
from docx.oxml.ns import qn

from shenbao.core.crypto import mask_id_number
from shenbao.documents.kinds import DocumentNotAvailable
from shenbao.documents.services import render_application_docx

from .builders import Rendered, make_filled_applications, rolled_back
from .filled import MEMBER_IDS
from .helpers import docx_document, docx_text

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker):
    """{project type code: Rendered} with the Word documents the tests below read."""
    with rolled_back(django_db_blocker):
        applications = make_filled_applications()
        rendered = {code: Rendered.of(application) for code, application in applications.items()}
        for code, documents in (
            ("workstation", ("application-form",)),
            ("training_base", ("application-form", "implementation-plan")),
        ):
            for document in documents:
                rendered[code].documents[document] = render_application_docx(
                    application=applications[code], document=document
                )
    return rendered


@pytest.fixture(scope="module")
def workstation(rendered):
    return rendered["workstation"]


@pytest.fixture(scope="module")
def training_base(rendered):
    return rendered["training_base"]


def test_workstation_form_opens_and_holds_the_application(workstation):
    text = docx_text(workstation.documents["application-form"])

    assert "晋城市技师工作站建设项目申报书" in text
    assert "晋城市金鼎精密机械制造有限公司" in text
    assert workstation.number in text
    assert workstation.verification_code in text
    assert "王建国" in text and "李秀英" in text
    assert "一、单位基本情况" in text and "二、技师工作站基本情况" in text and "三、工作站成员" in text
    for box in ("申报单位承诺", "县（市、区）人社局或主管部门初审意见", "市委组织部复核意见", "市人社局复核意见"):
        assert box in text


def test_member_ids_are_masked_in_word(workstation):
    text = docx_text(workstation.documents["application-form"])

    for number in MEMBER_IDS:
        assert mask_id_number(number) in text
        assert number not in text


def test_member_table_has_a_header_and_one_row_per_member(workstation):
    document = docx_document(workstation.documents["application-form"])

    members = next(table for table in document.tables if table.rows[0].cells[0].text == "序号")
    assert [cell.text for cell in members.rows[0].cells][:5] == ["序号", "姓名", "性别", "出生年月", "身份证号码"]
    assert [row.cells[1].text for row in members.rows[1:]] == ["王建国", "李秀英", "赵志强", "陈晓峰"]
    assert members.rows[1].cells[6].text == "高级技师"
    assert members.rows[1].cells[10].text == "是"


def test_east_asian_fonts_are_declared(training_base):
    document = docx_document(training_base.documents["application-form"])

    normal_fonts = document.styles["Normal"].element.rPr.rFonts
    assert normal_fonts.get(qn("w:eastAsia")) == "宋体"
    heading_fonts = document.styles["Heading 1"].element.rPr.rFonts
    assert heading_fonts.get(qn("w:eastAsia")) == "黑体"
    runs = [run for paragraph in document.paragraphs for run in paragraph.runs if run.text.strip()]
    assert runs
    assert all(run._element.rPr.rFonts.get(qn("w:eastAsia")) in {"宋体", "黑体"} for run in runs)


def test_page_is_a4_with_number_header_and_page_fields(training_base):
    data = training_base.documents["implementation-plan"]
    document = docx_document(data)

    section = document.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    assert training_base.number in section.header.paragraphs[0].text
    footer_xml = section.footer._element.xml
    assert "NUMPAGES" in footer_xml and " PAGE " in footer_xml
    text = docx_text(data)
    assert "晋城市技能人才培养基地建设项目实施方案" in text
    assert "经费预算" in text and "实训装备购置与更新" in text
    assert document.core_properties.identifier == training_base.verification_code


def test_word_refuses_a_document_of_another_project_type(training_base_application):
    with pytest.raises(DocumentNotAvailable):
        render_application_docx(application=training_base_application, document="application-report")
