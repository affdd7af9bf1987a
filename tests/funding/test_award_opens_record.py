"""授牌 opens the funding record: the `award` step's effect, through the real workflow (公示 → 授牌)."""

import datetime
from decimal import Decimal

import pytest

from shenbao.applications.workflow import get_transition
from shenbao.awards.services import award_applications, save_designation
from shenbao.funding.models import FundingRecord
from tests.awards.builders import AFTER_NOTICE, LAST_NOTICE_DAY

pytestmark = pytest.mark.django_db


def test_the_award_step_names_the_funding_effect():
    assert "shenbao.funding.effects.open_funding_record" in get_transition("award").effects


def test_awarding_opens_one_record_per_unit_with_the_startup_due_on_the_designation_date(in_notice, call_admin_user):
    designation = save_designation(
        call=in_notice[0].call,
        actor=call_admin_user,
        document_number="晋市人社发〔2022〕88号",
        issued_on=datetime.date(2022, 12, 20),
    )

    outcome = award_applications(
        applications=in_notice, actor=call_admin_user, designation=designation, at=AFTER_NOTICE
    )

    assert not outcome.failed
    records = FundingRecord.objects.order_by("application__plaque__sequence")
    assert [record.total for record in records] == [Decimal("300000.00")] * 2
    startup = records[0].instalments.get(code="startup")
    assert (startup.amount, startup.due_on) == (Decimal("120000.00"), datetime.date(2022, 12, 20))


def test_a_refused_award_opens_no_record(in_notice, call_admin_user):
    designation = save_designation(
        call=in_notice[0].call, actor=call_admin_user, document_number="x", issued_on=datetime.date(2022, 12, 20)
    )

    award_applications(applications=in_notice, actor=call_admin_user, designation=designation, at=LAST_NOTICE_DAY)

    assert not FundingRecord.objects.exists()
