"""Pieces of the document content: document kinds per project type, numbering, dates, file names."""

import datetime

import pytest

from shenbao.documents.content import build_document_content, chinese_number, chinese_year_month, verify_url
from shenbao.documents.kinds import list_document_kinds
from shenbao.documents.services import document_filename
from shenbao.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_each_project_type_has_the_documents_of_the_notice(call):
    workstation = call.project_types.get(code="workstation")
    base = call.project_types.get(code="training_base")

    assert [(kind.slug, kind.full_title) for kind in list_document_kinds(project_type=workstation)] == [
        ("application-form", "晋城市技师工作站建设项目申报书"),
        ("application-report", "晋城市技师工作站建设项目申请报告"),
    ]
    assert [(kind.slug, kind.full_title) for kind in list_document_kinds(project_type=base)] == [
        ("application-form", "晋城市技能人才培养基地建设项目申报书"),
        ("implementation-plan", "晋城市技能人才培养基地建设项目实施方案"),
    ]


@pytest.mark.parametrize(
    ("value", "expected"), [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (19, "十九"), (20, "二十"), (32, "三十二")]
)
def test_chinese_section_numbers(value, expected):
    assert chinese_number(value) == expected


def test_issue_month_in_chinese_numerals():
    assert chinese_year_month(datetime.date(2022, 12, 2)) == "二〇二二年十二月"
    assert chinese_year_month(datetime.date(2030, 1, 15)) == "二〇三〇年一月"


def test_verify_url_prefers_the_configured_public_address(settings):
    settings.SHENBAO_PUBLIC_URL = "https://shenbao.jincheng.gov.cn/"

    assert verify_url(code="ABCDEFGHJKMN", site_url="http://internal:8000/") == (
        "https://shenbao.jincheng.gov.cn/verify/ABCDEFGHJKMN/"
    )


def test_verify_url_falls_back_to_the_request_address(settings):
    settings.SHENBAO_PUBLIC_URL = ""

    assert verify_url(code="ABCDEFGHJKMN", site_url="http://testserver/") == "http://testserver/verify/ABCDEFGHJKMN/"
    assert verify_url(code="ABCDEFGHJKMN") == "/verify/ABCDEFGHJKMN/"


def test_file_name_keeps_chinese_and_drops_characters_desktops_refuse(workstation_application):
    unit = workstation_application.unit
    unit.name = '晋城市"新/旧"机械:有限公司?'  # fullwidth-ok: characters a desktop refuses
    unit.save()

    name = document_filename(application=workstation_application, title="申报书", extension="pdf")

    assert name == f"{workstation_application.number}-晋城市_新_旧_机械_有限公司-申报书.pdf"


def _application_form(application):
    kind = next(kind for kind in list_document_kinds(project_type=application.project_type) if kind.is_application_form)
    return build_document_content(application=application, kind=kind)


def test_subtitle_names_the_project_type_in_full_width_brackets(workstation_application):
    assert _application_form(workstation_application).subtitle == "（市级技师工作站）"


def test_each_city_body_of_the_recheck_seals_its_own_box(workstation_application):
    _first_review, *recheck = _application_form(workstation_application).sign_offs[-1].boxes

    assert [(box.title, box.sign_lines, box.opinion) for box in recheck] == [
        ("市委组织部复核意见", ("中共晋城市委组织部（盖章）",), True),
        ("市人社局复核意见", ("晋城市人力资源和社会保障局（盖章）",), True),
    ]


def test_a_recheck_function_without_a_body_in_the_city_still_gets_its_box(workstation_application):
    Organisation.objects.filter(function=Organisation.Function.CITY_ORG_DEPARTMENT).update(is_active=False)

    _first_review, *recheck = _application_form(workstation_application).sign_offs[-1].boxes

    assert [(box.title, box.sign_lines) for box in recheck] == [
        ("市委组织部复核意见", ("（盖章）",)),
        ("市人社局复核意见", ("晋城市人力资源和社会保障局（盖章）",)),
    ]


def test_the_recheck_boxes_follow_the_calls_functions(workstation_application):
    workstation_application.call.recheck_bodies = ["city_hr_bureau"]

    _first_review, *recheck = _application_form(workstation_application).sign_offs[-1].boxes

    assert [box.title for box in recheck] == ["市人社局复核意见"]


def test_other_documents_end_with_the_units_seal_line_only(workstation_application):
    kind = list_document_kinds(project_type=workstation_application.project_type)[1]

    (sign_off,) = build_document_content(application=workstation_application, kind=kind).sign_offs

    assert not sign_off.framed and not sign_off.heading
    assert sign_off.boxes[0].sign_lines == ("申报单位（盖章）：晋城市金鼎精密机械制造有限公司",)


def test_the_application_forms_instructions_come_from_the_call(workstation_application):
    call = workstation_application.call

    instructions = _application_form(workstation_application).instructions

    assert instructions == (
        "1．本申报书连同《晋城市技师工作站建设项目申请报告》和相关佐证材料一式三份及电子版，"
        "于申报截止时间前报市人社局技能办（市人社局201室）。",
        "2．可申报单位：企业、行业协会、科研生产型事业单位、公共职业技能实训基地、技能人才培训基地。",
        "3．表格不够填写的可另附页；所填内容须与佐证材料一致。",
    )
    call.paper_copies, call.submission_address = 5, "市人社局102室"
    assert _application_form(workstation_application).instructions[0] == (
        "1．本申报书连同《晋城市技师工作站建设项目申请报告》和相关佐证材料一式五份及电子版，"
        "于申报截止时间前报市人社局102室。"
    )


def test_only_the_application_form_has_instructions(workstation_application):
    kind = list_document_kinds(project_type=workstation_application.project_type)[1]

    assert build_document_content(application=workstation_application, kind=kind).instructions == ()
