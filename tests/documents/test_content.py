"""Pieces of the document content: document kinds per project type, numbering, dates, file names."""

import datetime

import pytest

from shenbao.documents.content import chinese_number, chinese_year_month, verify_url
from shenbao.documents.kinds import list_document_kinds
from shenbao.documents.services import document_filename

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
