"""The generated PDFs: content, masking of ID numbers, embedded Chinese font, page furniture.

Every PDF read here is rendered once for the module (`rendered`, see builders.Rendered): the tests share the bytes.
"""

import re
import shutil
import subprocess

import pytest
from django.test import override_settings

from shenbao.core.crypto import mask_id_number
from shenbao.documents.kinds import DocumentNotAvailable
from shenbao.documents.services import render_application_pdf

from .builders import Rendered, make_filled_applications, rolled_back
from .filled import MEMBER_IDS
from .helpers import pdf_fonts, pdf_text, squeeze

pytestmark = pytest.mark.django_db

SECTION_TITLES = {
    ("workstation", "application-form"): ["一、单位基本情况", "二、技师工作站基本情况", "三、工作站成员", "成员名单"],
    ("workstation", "application-report"): ["人才培养、评价、使用制度和激励机制", "师带徒计划", "建站设想", "设备配置"],
    ("training_base", "application-form"): ["管理规范", "培训能力", "师资队伍", "培训合作", "兼顾原则"],
    ("training_base", "implementation-plan"): ["建设基础", "建设目标", "进度安排", "经费预算", "考核指标"],
}
FULL_TITLES = {
    ("workstation", "application-form"): "晋城市技师工作站建设项目申报书",
    ("workstation", "application-report"): "晋城市技师工作站建设项目申请报告",
    ("training_base", "application-form"): "晋城市技能人才培养基地建设项目申报书",
    ("training_base", "implementation-plan"): "晋城市技能人才培养基地建设项目实施方案",
}


REVEALED = "application-form, contact revealed"
BY_TITLE = "申请报告"
ON_THE_REQUESTS_ADDRESS = "application-form, site address from the request"


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker):
    """{project type code: Rendered} with every PDF of both applications the tests below read."""
    with rolled_back(django_db_blocker):
        applications = make_filled_applications()
        rendered = {code: Rendered.of(application) for code, application in applications.items()}
        for code, documents in (
            ("workstation", ("application-form", "application-report")),
            ("training_base", ("application-form", "implementation-plan")),
        ):
            for document in documents:
                rendered[code].documents[document] = render_application_pdf(
                    application=applications[code], document=document
                )
        workstation = applications["workstation"]
        # As the unit's own staff get it (generate_application_document decides from the user).
        rendered["workstation"].documents[REVEALED] = render_application_pdf(
            application=workstation, document="application-form", reveal_contact=True
        )
        rendered["workstation"].documents[BY_TITLE] = render_application_pdf(application=workstation, document=BY_TITLE)
        with override_settings(SHENBAO_PUBLIC_URL=""):  # no configured address: the request's own is used
            rendered["workstation"].documents[ON_THE_REQUESTS_ADDRESS] = render_application_pdf(
                application=workstation, document="application-form", site_url="https://sb.example.cn/"
            )
    return rendered


@pytest.fixture(scope="module")
def workstation(rendered):
    return rendered["workstation"]


@pytest.fixture(scope="module")
def training_base(rendered):
    return rendered["training_base"]


@pytest.mark.parametrize("document", ["application-form", "application-report"])
def test_workstation_pdfs_hold_cover_data_and_their_sections(workstation, document):
    text = squeeze(pdf_text(workstation.documents[document]))

    assert squeeze(FULL_TITLES["workstation", document]) in text
    assert "晋城市金鼎精密机械制造有限公司" in text
    assert workstation.number in text
    assert workstation.verification_code in text
    assert f"/verify/{workstation.verification_code}/" in text
    for title in SECTION_TITLES["workstation", document]:
        assert squeeze(title) in text


@pytest.mark.parametrize("document", ["application-form", "implementation-plan"])
def test_training_base_pdfs_hold_cover_data_and_their_sections(training_base, document):
    text = squeeze(pdf_text(training_base.documents[document]))

    assert squeeze(FULL_TITLES["training_base", document]) in text
    assert "晋城职业技术学院" in text
    assert training_base.number in text
    assert training_base.verification_code in text
    for title in SECTION_TITLES["training_base", document]:
        assert squeeze(title) in text


def test_application_form_has_only_its_own_sections_and_the_sign_off_boxes(workstation):
    text = squeeze(pdf_text(workstation.documents["application-form"]))

    assert "师带徒计划" not in text  # a section of the 申请报告
    for box in (
        "申报单位承诺",
        "审核意见",
        "县（市、区）人社局或主管部门初审意见",
        "市委组织部复核意见",
        "市人社局复核意见",
    ):
        assert box in text
    # The unit, the first-review body and the city's two bodies of 资格复核 each seal a box (and the cover's label).
    assert text.count("（盖章）") == 5
    assert text.count("年月日") >= 4
    # The first-review body derived from the unit's county is named in its box.
    assert "泽州县人力资源和社会保障局（盖章）" in text


def test_cover_lists_unit_facts(workstation):
    # As the unit's own staff get it (generate_application_document decides from the user); others see 139****2345.
    text = squeeze(pdf_text(workstation.documents[REVEALED]))

    for label, value in (
        ("统一社会信用代码", workstation.credit_code),
        ("所在县（市、区）", "泽州县"),
        ("联系人", "李晓红"),
        ("联系电话", "13935612345"),
    ):
        assert f"{label}：{value}" in text
    masked = squeeze(pdf_text(workstation.documents["application-form"]))
    assert "联系电话：139****2345" in masked and "13935612345" not in masked
    assert "中共晋城市委组织部晋城市人力资源和社会保障局制" in text
    assert "二〇二二年十二月" in text


def test_member_ids_are_masked_and_choice_labels_shown(workstation):
    text = squeeze(pdf_text(workstation.documents["application-form"]))

    for number in MEMBER_IDS:
        assert mask_id_number(number) in text
        assert number not in text
        assert number[6:14] not in text  # not even the birth date
    assert "王建国" in text
    assert "高级技师" in text and "技术技能带头人" in text
    assert "senior_technician" not in text


def test_values_of_every_kind_are_printed(training_base):
    text = squeeze(pdf_text(training_base.documents["implementation-plan"]))

    assert "实训装备购置与更新" in text  # choice label, not the code "equipment"
    assert "12.00" in text and "50.00" in text  # decimals as stored
    assert "2023年" in text


def test_pages_are_numbered_and_carry_the_application_number(workstation):
    text = pdf_text(workstation.documents["application-form"])

    pages = re.findall(r"第\s*(\d+)\s*页\s*共\s*(\d+)\s*页", text)
    assert len(pages) >= 3
    total = pages[0][1]
    assert [number for number, _total in pages] == [str(n) for n in range(1, len(pages) + 1)]
    assert all(count == total for _number, count in pages)
    assert text.count(f"申报编号：{workstation.number}") >= len(pages)  # header on pages 2…, cover once


@pytest.mark.parametrize("project_type_code", ["workstation", "training_base"])
def test_a_cjk_font_is_embedded(rendered, project_type_code):
    fonts = pdf_fonts(rendered[project_type_code].documents["application-form"])

    cjk = {name: embedded for name, embedded in fonts.items() if "CJK" in name or "Noto" in name}
    assert cjk, fonts
    assert all(cjk.values()), cjk
    assert all(fonts.values()), fonts  # nothing left for the reader's machine to substitute


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_pdffonts_reports_the_cjk_font_embedded(workstation, tmp_path):
    path = tmp_path / "form.pdf"
    path.write_bytes(workstation.documents["application-form"])

    output = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    rows = [line for line in output.splitlines()[2:] if line.strip()]
    cjk_rows = [line for line in rows if "CJK" in line]
    assert cjk_rows, output
    for line in rows:
        # the last columns are: emb sub uni object-number generation
        assert re.search(r"\s(yes)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", line), line


@pytest.mark.parametrize(
    ("project_type_code", "document"),
    [("workstation", "implementation-plan"), ("training_base", "application-report"), ("workstation", "nonsense")],
)
def test_a_document_the_project_type_does_not_have_is_refused(make_filled_application, project_type_code, document):
    application = make_filled_application(project_type_code)

    with pytest.raises(DocumentNotAvailable):
        render_application_pdf(application=application, document=document)


def test_documents_may_be_named_by_title(workstation):
    text = squeeze(pdf_text(workstation.documents[BY_TITLE]))

    assert "晋城市技师工作站建设项目申请报告" in text


def test_site_address_makes_the_verification_url_absolute(workstation):
    data = workstation.documents[ON_THE_REQUESTS_ADDRESS]

    assert f"https://sb.example.cn/verify/{workstation.verification_code}/" in squeeze(pdf_text(data))
