"""The 审核意见表 PDF: unit data and every department's opinion, in an embedded CJK font."""

import pytest

from shenbao.opinions.documents import render_opinion_form_pdf
from shenbao.opinions.models import OpinionRequest
from shenbao.opinions.services import decide_on_objection, record_opinion
from tests.documents.helpers import pdf_fonts, pdf_text, squeeze

from .builders import ANSWER_AT, SASAC, TAX_BUREAU, reload

pytestmark = pytest.mark.django_db


def test_the_form_lists_every_opinion_with_unit_data(soliciting, tax_user, sasac_user, call_admin_user):
    _county_unit, city_direct = soliciting
    requests = {request.department.name: request for request in city_direct.opinion_requests.all()}
    record_opinion(opinion_request=requests[SASAC], user=sasac_user, response="no_objection", at=ANSWER_AT)
    record_opinion(
        opinion_request=requests[TAX_BUREAU],
        user=tax_user,
        response="objection",
        reason="存在欠缴税款记录",
        at=ANSWER_AT,
    )
    decide_on_objection(
        application=reload(city_direct), actor=call_admin_user, decision="overrule", reason="已补缴完毕"
    )

    data = render_opinion_form_pdf(application=reload(city_direct))
    text = squeeze(pdf_text(data))

    for expected in (
        "审核意见表",
        city_direct.unit.name,
        city_direct.unit.credit_code,
        city_direct.number,
        "市级技师工作站",
        SASAC,
        TAX_BUREAU,
        "无异议",
        "有异议",
        "存在欠缴税款记录",
        "已补缴完毕",
        sasac_user.full_name,
        tax_user.full_name,
        "2022年12月8日",
        "（盖章）",
    ):
        assert squeeze(expected) in text, expected
    fonts = pdf_fonts(data)
    assert any("CJK" in name for name in fonts) and all(fonts.values())


def test_unanswered_requests_show_as_pending_with_their_due_date(soliciting):
    county_unit, _ = soliciting

    text = squeeze(pdf_text(render_opinion_form_pdf(application=county_unit)))

    assert "待反馈" in text and "截止2022年12月30日" in text
    assert OpinionRequest.objects.filter(application=county_unit).count() == 2
