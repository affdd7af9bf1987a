"""Designation document and plaque certificates as PDFs, and their verification codes on the public /verify/ page."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from shenbao.awards.documents import render_designation_pdf, render_plaque_pdf
from shenbao.awards.models import Plaque
from shenbao.awards.services import award_applications, save_designation
from tests.documents.helpers import pdf_fonts, pdf_text, squeeze

from .builders import AFTER_NOTICE

pytestmark = pytest.mark.django_db
ISSUED_ON = datetime.date(2022, 12, 20)


@pytest.fixture(autouse=True)
def _fresh_rate_limit_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def awarded(in_notice, call_admin_user, call):
    designation = save_designation(
        call=call,
        actor=call_admin_user,
        document_number="晋市人社发〔2022〕88号",
        issued_on=datetime.date(2022, 12, 20),
    )
    outcome = award_applications(
        applications=in_notice, actor=call_admin_user, designation=designation, at=AFTER_NOTICE
    )
    assert not outcome.failed
    return designation


def test_the_plaque_certificate_names_the_unit_with_its_number_and_code(awarded):
    plaque = Plaque.objects.select_related("application__unit").order_by("sequence").first()

    data = render_plaque_pdf(plaque=plaque)
    text = squeeze(pdf_text(data))

    for expected in (
        "晋城市技师工作站",
        plaque.application.unit.name,
        "JCJS-2022-01",
        "二〇二二年十二月二十日",
        "中共晋城市委组织部",
        "晋城市人力资源和社会保障局",
        plaque.verification_code,
        f"/verify/{plaque.verification_code}/",
    ):
        assert squeeze(expected) in text, expected
    fonts = pdf_fonts(data)
    assert fonts and all(fonts.values())


def test_the_designation_document_lists_the_units_by_project_type(awarded, in_notice):
    data = render_designation_pdf(designation=awarded)
    text = squeeze(pdf_text(data))

    for expected in (
        "关于命名2022年市级技师工作站和技能人才培养基地的通知",
        "晋市人社发〔2022〕88号",
        "市级技师工作站（2个）",
        "JCJS-2022-02",
        "城区",
        "二〇二二年十二月二十日",
        awarded.verification_code,
        *(application.unit.name for application in in_notice),
    ):
        assert squeeze(expected) in text, expected
    assert all(pdf_fonts(data).values())


def test_the_verify_page_finds_a_plaque_code(client, awarded):
    plaque = Plaque.objects.select_related("application__unit").first()

    response = client.get(reverse("verify:code", args=[plaque.verification_code.lower()]))
    page = response.content.decode()

    assert response.status_code == 200
    assert "核验结果" in page and plaque.number in page and plaque.application.unit.name in page
    assert plaque.application.unit.contact_phone not in page  # nothing personal


def test_the_verify_page_finds_a_designation_code(client, awarded, in_notice):
    page = client.get(reverse("verify:verify"), {"code": awarded.verification_code}).content.decode()

    assert "晋市人社发〔2022〕88号" in page
    assert all(application.unit.name in page for application in in_notice)


def test_an_unknown_code_is_not_found(client, awarded):
    page = client.get(reverse("verify:verify"), {"code": "ABCDEFGHJKMN"}).content.decode()

    assert "未找到该核验码" in page
