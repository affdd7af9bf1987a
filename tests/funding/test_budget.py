"""Budget execution (预算执行, notice 六): committed, paid and remaining per year, project type and county, against the
yearly appropriation, with a warning when commitments exceed it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shenbao.audit.models import AuditEntry
from shenbao.funding.budget import budget_overview, overview_charts
from shenbao.funding.chart import grouped_bars
from shenbao.funding.models import Appropriation
from shenbao.funding.services import (
    cancel_outstanding_instalments,
    record_payment,
    release_instalments,
    save_appropriation,
)

from .builders import AFTER_DESIGNATION, LATER, PASSED_ON

pytestmark = pytest.mark.django_db
FUND = "市本级职业技能提升工程工作经费"


def year_line(overview, year):
    return next(line for line in overview.years if line.year == year)


def by_label(lines):
    return {line.label: line.figures for line in lines}


def pay_startup(application, admin, amount="120000.00"):
    record = application.funding_record
    return record_payment(
        record=record,
        instalment=record.instalments.get(code="startup"),
        amount=amount,
        paid_on=datetime.date(2023, 1, 5),
        voucher_number="记-2023-001",
        actor=admin,
        at=AFTER_DESIGNATION,
    )


@pytest.fixture
def both(workstation, training_base):
    return workstation, training_base


def test_commitments_count_in_the_designation_year_and_after_the_construction_period(both, call_admin_user):
    overview = budget_overview(user=call_admin_user)

    assert [(line.fund_source, line.year) for line in overview.years] == [(FUND, 2022), (FUND, 2025)]
    assert year_line(overview, 2022).figures.committed == Decimal("200000.00")  # 120,000 + 80,000 start-up
    assert year_line(overview, 2025).figures.committed == Decimal("300000.00")  # 180,000 + 120,000 expected
    assert overview.total.committed == Decimal("500000.00")
    assert by_label(overview.by_type)["市级技师工作站"].committed == Decimal("300000.00")
    assert by_label(overview.by_type)["市级技能人才培养基地"].committed == Decimal("200000.00")
    assert by_label(overview.by_county)["城区"].committed == Decimal("300000.00")
    assert by_label(overview.by_county)["沁水县"].committed == Decimal("200000.00")


def test_a_payment_counts_as_paid_in_its_instalments_year(both, call_admin_user):
    workstation, _base = both
    pay_startup(workstation, call_admin_user)

    overview = budget_overview(user=call_admin_user)

    line = year_line(overview, 2022)  # the voucher is dated 2023, the start-up belongs to 2022
    assert (line.figures.committed, line.figures.paid, line.figures.remaining) == (
        Decimal("200000.00"),
        Decimal("120000.00"),
        Decimal("80000.00"),
    )
    assert by_label(overview.by_county)["城区"].paid == Decimal("120000.00")
    assert by_label(overview.by_type)["市级技能人才培养基地"].paid == Decimal("0.00")


def test_a_release_moves_the_final_instalment_to_its_due_year(both, call_admin_user):
    workstation, _base = both

    release_instalments(application=workstation, trigger="acceptance_passed", on=datetime.date(2026, 1, 5))

    overview = budget_overview(user=call_admin_user)
    assert year_line(overview, 2025).figures.committed == Decimal("120000.00")
    assert year_line(overview, 2026).figures.committed == Decimal("180000.00")


def test_a_revocation_removes_the_unpaid_commitment(both, call_admin_user):
    _workstation, base = both
    pay_startup(base, call_admin_user, amount="80000.00")

    cancel_outstanding_instalments(application=base, reason="撤销命名", at=LATER)

    overview = budget_overview(user=call_admin_user)
    assert year_line(overview, 2022).figures.committed == Decimal("200000.00")  # the paid start-up stays
    assert year_line(overview, 2025).figures.committed == Decimal("180000.00")  # base's 120,000 is gone
    assert by_label(overview.by_type)["市级技能人才培养基地"].committed == Decimal("80000.00")


def test_a_warning_when_commitments_exceed_the_appropriation(both, call_admin_user):
    save_appropriation(actor=call_admin_user, fund_source=FUND, year=2022, amount="200000.00")
    assert budget_overview(user=call_admin_user).warnings == [
        "2025年“市本级职业技能提升工程工作经费”承诺拨付 300,000.00 元，尚未录入年度预算。"
    ]

    save_appropriation(actor=call_admin_user, fund_source=FUND, year=2022, amount="199999.99")
    save_appropriation(actor=call_admin_user, fund_source=FUND, year=2025, amount="300000.00")

    overview = budget_overview(user=call_admin_user)
    assert overview.warnings == [
        "2022年“市本级职业技能提升工程工作经费”承诺拨付 200,000.00 元，超过年度预算 199,999.99 元（超出 0.01 元）。"
    ]
    assert year_line(overview, 2022).balance == Decimal("-0.01")
    assert year_line(overview, 2025).balance == Decimal("0.00") and not year_line(overview, 2025).over_budget


def test_an_appropriation_without_commitments_is_listed(call_admin_user, call):
    save_appropriation(actor=call_admin_user, fund_source=FUND, year=2023, amount="1000000.00")

    overview = budget_overview(user=call_admin_user)

    assert [(line.year, line.appropriation, line.figures.committed) for line in overview.years] == [
        (2023, Decimal("1000000.00"), Decimal("0.00"))
    ]
    assert overview.warnings == []


def test_the_year_filter_narrows_the_type_and_county_breakdowns(both, call_admin_user):
    overview = budget_overview(user=call_admin_user, year=2022)

    assert by_label(overview.by_type)["市级技师工作站"].committed == Decimal("120000.00")
    assert by_label(overview.by_county)["沁水县"].committed == Decimal("80000.00")
    assert len(overview.years) == 2  # the yearly table always shows every year


def test_saving_an_appropriation_again_changes_it_and_is_audited(call_admin_user, call):
    save_appropriation(actor=call_admin_user, fund_source=FUND, year=2023, amount="500000")
    save_appropriation(actor=call_admin_user, fund_source=FUND, year=2023, amount="600000.50")

    assert Appropriation.objects.get().amount == Decimal("600000.50")
    entries = AuditEntry.objects.filter(event="funding:appropriation").order_by("pk")
    assert [entry.changes["预算金额"] for entry in entries] == [["", "500000.00"], ["500000.00", "600000.50"]]


@pytest.mark.parametrize("amount", ["-1", "1.001"])
def test_an_appropriation_is_not_negative_and_to_the_fen(call_admin_user, call, amount):
    with pytest.raises(ValidationError):
        save_appropriation(actor=call_admin_user, fund_source=FUND, year=2023, amount=amount)


def test_only_call_administrators_enter_appropriations(unit_applicant, other_roles):
    for user in (unit_applicant, *other_roles.values()):
        with pytest.raises(PermissionDenied):
            save_appropriation(actor=user, fund_source=FUND, year=2023, amount="1")


def test_another_citys_administrator_sees_nothing_of_jincheng(both, call_admin_user, other_city_admin):
    save_appropriation(actor=call_admin_user, fund_source=FUND, year=2022, amount="1")

    overview = budget_overview(user=other_city_admin)

    assert overview.years == [] and overview.by_type == [] and overview.total.committed == 0


def test_the_chart_scales_bars_to_a_round_axis():
    chart = grouped_bars(
        groups=[("2022", {"a": Decimal("300000"), "b": Decimal("150000")})], series=[("a", "甲"), ("b", "乙")]
    )

    first, second = chart.bars
    assert first.height == pytest.approx(second.height * 2)
    assert chart.ticks[-1].label == "30万"  # the axis top is the round value at or above the largest bar
    assert first.title == "2022 甲：300,000.00 元"


def test_charts_of_an_empty_overview_are_empty(call_admin_user):
    charts = overview_charts(budget_overview(user=call_admin_user))

    assert all(chart.is_empty for chart in charts.values())


def test_paid_in_the_budget_follows_passed_acceptance(both, call_admin_user):
    workstation, _base = both
    release_instalments(application=workstation, trigger="acceptance_passed", on=PASSED_ON)
    record = workstation.funding_record
    record_payment(
        record=record,
        instalment=record.instalments.get(code="final"),
        amount="180000.00",
        paid_on=PASSED_ON,
        voucher_number="记-2025-010",
        actor=call_admin_user,
        at=LATER,
    )

    line = year_line(budget_overview(user=call_admin_user), 2025)
    assert (line.figures.committed, line.figures.paid) == (Decimal("300000.00"), Decimal("180000.00"))
