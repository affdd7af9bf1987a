"""The funding ledger (notice 五): amounts to the fen, instalments due at designation or after a passed acceptance,
payments refused beyond what is due, reversals, revocation, and the append-only ledger."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction

from shenbao.audit.models import AuditEntry
from shenbao.calls.models import split_instalments
from shenbao.funding.models import FundingRecord, ImmutableLedgerEntry, LedgerEntry
from shenbao.funding.selectors import get_funding_record
from shenbao.funding.services import (
    cancel_outstanding_instalments,
    open_funding_record,
    open_missing_funding_records,
    record_payment,
    release_instalments,
    reverse_entry,
)

from .builders import AFTER_DESIGNATION, DESIGNATED_ON, LATER, PASSED_ON

pytestmark = pytest.mark.django_db
PAY_DAY = datetime.date(2023, 1, 5)


def instalments(record):
    startup, final = record.instalments.order_by("sequence")
    return startup, final


def pay(record, instalment, amount, admin, *, on=PAY_DAY, voucher="记-2023-001", at=AFTER_DESIGNATION):
    return record_payment(
        record=record,
        instalment=instalment,
        amount=amount,
        paid_on=on,
        voucher_number=voucher,
        actor=admin,
        at=at,
    )


def figures(record, admin):
    return get_funding_record(user=admin, public_id=record.public_id).figures


# --- amounts ---------------------------------------------------------------------------------------------------


def test_workstation_300000_splits_into_120000_due_at_designation_and_180000_after_a_pass(record, call_admin_user):
    startup, final = instalments(record)

    assert record.total == Decimal("300000.00")
    assert (startup.amount, startup.percent, startup.trigger) == (Decimal("120000.00"), 40, "designation")
    assert startup.due_on == DESIGNATED_ON
    assert (final.amount, final.trigger, final.due_on) == (Decimal("180000.00"), "acceptance_passed", None)
    assert figures(record, call_admin_user).due == Decimal("120000.00")
    assert figures(record, call_admin_user).awaiting == Decimal("180000.00")

    release_instalments(application=record.application, trigger="acceptance_passed", on=PASSED_ON)

    final.refresh_from_db()
    assert final.due_on == PASSED_ON
    assert figures(record, call_admin_user).due == Decimal("300000.00")
    assert figures(record, call_admin_user).unpaid == Decimal("300000.00")


def test_training_base_200000_splits_into_80000_and_120000(training_base):
    startup, final = instalments(training_base.funding_record)

    assert training_base.funding_record.total == Decimal("200000.00")
    assert (startup.amount, final.amount) == (Decimal("80000.00"), Decimal("120000.00"))


def test_the_last_instalment_takes_the_rounding_remainder_to_the_fen():
    amounts = split_instalments(Decimal("100000.01"), [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")])

    assert amounts == [Decimal("33330.00"), Decimal("33330.00"), Decimal("33340.01")]
    assert sum(amounts) == Decimal("100000.01")


def test_opening_is_idempotent_and_audited(workstation):
    again = open_funding_record(application=workstation)

    assert again == workstation.funding_record
    assert FundingRecord.objects.count() == 1
    assert workstation.funding_record.instalments.count() == 2
    assert AuditEntry.objects.filter(event="funding:open").count() == 1


def test_an_application_without_a_plaque_gets_no_record(call, workstation_type, make_unit, make_applicant):
    from shenbao.applications.services import start_application
    from tests.applications.builders import IN_TIME

    unit = make_unit()
    application = start_application(
        call=call, project_type=workstation_type, unit=unit, user=make_applicant(unit), at=IN_TIME
    )

    with pytest.raises(ValidationError, match="尚未授牌"):
        open_funding_record(application=application)


def test_the_command_opens_records_of_earlier_designations_once(make_designated):
    from django.core.management import call_command

    make_designated(open_record=False)
    make_designated(open_record=False)
    make_designated()  # already has its record

    call_command("open_funding_records", stdout=open("/dev/null", "w"))  # noqa: SIM115 (closed at exit)
    assert FundingRecord.objects.count() == 3
    assert open_missing_funding_records() == []


# --- payments --------------------------------------------------------------------------------------------------


def test_paying_exactly_the_startup_is_accepted_and_one_fen_more_is_refused(record, call_admin_user):
    startup, _final = instalments(record)

    with pytest.raises(ValidationError, match=re.escape("超过「启动经费」未拨付金额 120000.00 元")):
        pay(record, startup, Decimal("120000.01"), call_admin_user)
    entry = pay(record, startup, Decimal("120000.00"), call_admin_user)

    assert entry.amount == Decimal("120000.00") and entry.voucher_number == "记-2023-001"
    assert figures(record, call_admin_user).paid == Decimal("120000.00")
    assert figures(record, call_admin_user).unpaid == Decimal("0.00")
    with pytest.raises(ValidationError, match=re.escape("未拨付金额 0.00 元")):
        pay(record, startup, Decimal("0.01"), call_admin_user, voucher="记-2023-002")


def test_partial_payments_add_up_to_the_fen(record, call_admin_user):
    startup, _final = instalments(record)

    pay(record, startup, "60000.00", call_admin_user)
    pay(record, startup, Decimal("59999.99"), call_admin_user, voucher="记-2023-002")

    with pytest.raises(ValidationError, match=re.escape("未拨付金额 0.01 元")):
        pay(record, startup, Decimal("0.02"), call_admin_user, voucher="记-2023-003")
    pay(record, startup, Decimal("0.01"), call_admin_user, voucher="记-2023-003")
    assert figures(record, call_admin_user).paid == Decimal("120000.00")


@pytest.mark.parametrize("amount", ["0", "-1.00", "10.001", "abc"])
def test_amounts_must_be_positive_and_to_the_fen(record, call_admin_user, amount):
    startup, _final = instalments(record)

    with pytest.raises(ValidationError):
        pay(record, startup, amount, call_admin_user)
    assert not LedgerEntry.objects.exists()


def test_paying_the_60_percent_before_a_passed_acceptance_is_refused(record, call_admin_user):
    _startup, final = instalments(record)

    with pytest.raises(ValidationError, match=re.escape("尚未到拨付条件（评估验收合格后）")):
        pay(record, final, Decimal("1.00"), call_admin_user)

    release_instalments(application=record.application, trigger="acceptance_passed", on=PASSED_ON)
    with pytest.raises(ValidationError, match=re.escape("不能早于该批次的应拨付日期 2025-03-15")):
        pay(record, final, Decimal("180000.00"), call_admin_user, on=datetime.date(2025, 3, 14), at=LATER)
    pay(record, final, Decimal("180000.00"), call_admin_user, on=PASSED_ON, at=LATER)
    assert figures(record, call_admin_user).paid == Decimal("180000.00")


def test_a_payment_needs_a_voucher_number_and_a_date_not_in_the_future(record, call_admin_user):
    startup, _final = instalments(record)

    with pytest.raises(ValidationError) as refused:
        pay(record, startup, Decimal("1.00"), call_admin_user, voucher=" ", on=datetime.date(2023, 1, 11))
    assert set(refused.value.message_dict) == {"voucher_number", "paid_on"}


def test_only_the_administrator_of_the_calls_city_records_payments(record, other_city_admin, unit_applicant):
    startup, _final = instalments(record)

    for user in (other_city_admin, unit_applicant):
        with pytest.raises(PermissionDenied):
            pay(record, startup, Decimal("1.00"), user)
    assert not LedgerEntry.objects.exists()


def test_an_instalment_of_another_record_is_refused(record, training_base, call_admin_user):
    foreign, _final = instalments(training_base.funding_record)

    with pytest.raises(ValidationError, match="不属于此经费台账"):
        pay(record, foreign, Decimal("1.00"), call_admin_user)


def test_payments_are_audited(record, call_admin_user):
    startup, _final = instalments(record)
    pay(record, startup, Decimal("120000.00"), call_admin_user)

    entry = AuditEntry.objects.get(event="funding:payment")
    assert entry.actor == call_admin_user
    assert entry.additional_data["amount"] == "120000.00"
    assert entry.additional_data["voucher_number"] == "记-2023-001"


# --- reversals -------------------------------------------------------------------------------------------------


def test_a_reversal_restores_the_balance_and_references_the_payment(record, call_admin_user):
    startup, _final = instalments(record)
    payment = pay(record, startup, Decimal("120000.00"), call_admin_user)

    reversal = reverse_entry(entry=payment, reason="凭证号录错", actor=call_admin_user, at=AFTER_DESIGNATION)

    assert reversal.kind == "reversal" and reversal.amount == Decimal("-120000.00")
    assert reversal.reverses == payment and reversal.booked_on == datetime.date(2023, 1, 10)
    assert figures(record, call_admin_user).paid == Decimal("0.00")
    assert figures(record, call_admin_user).unpaid == Decimal("120000.00")
    payment.refresh_from_db()
    assert payment.amount == Decimal("120000.00")  # the original stays as it was
    assert AuditEntry.objects.filter(event="funding:reversal").count() == 1
    pay(record, startup, Decimal("120000.00"), call_admin_user, voucher="记-2023-009")
    assert figures(record, call_admin_user).paid == Decimal("120000.00")


def test_a_payment_is_reversed_once_and_a_reversal_never(record, call_admin_user):
    startup, _final = instalments(record)
    payment = pay(record, startup, Decimal("100.00"), call_admin_user)
    reversal = reverse_entry(entry=payment, reason="重复录入", actor=call_admin_user, at=AFTER_DESIGNATION)

    with pytest.raises(ValidationError, match="已冲销"):
        reverse_entry(entry=payment, reason="再次", actor=call_admin_user, at=AFTER_DESIGNATION)
    with pytest.raises(ValidationError, match="冲销记录不能再冲销"):
        reverse_entry(entry=reversal, reason="撤回冲销", actor=call_admin_user, at=AFTER_DESIGNATION)
    with pytest.raises(ValidationError, match="冲销原因"):
        reverse_entry(entry=pay(record, startup, Decimal("1"), call_admin_user), reason=" ", actor=call_admin_user)


def test_ledger_entries_cannot_be_edited_or_deleted(record, call_admin_user):
    startup, _final = instalments(record)
    payment = pay(record, startup, Decimal("100.00"), call_admin_user)

    payment.amount = Decimal("1.00")
    with pytest.raises(ImmutableLedgerEntry):
        payment.save()
    with pytest.raises(ImmutableLedgerEntry):
        payment.delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=payment.pk).update(amount=Decimal("1.00"))
    assert LedgerEntry.objects.get(pk=payment.pk).amount == Decimal("100.00")


def test_the_database_refuses_updates_of_ledger_entries():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'funding_ledgerentry'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = 'funding_ledgerentry'::regclass")
        names = {row[0] for row in cursor.fetchall()}
    assert "funding_ledgerentry_no_update" in names


# --- release and revocation ------------------------------------------------------------------------------------


def test_release_is_idempotent_and_moves_the_budget_year(record):
    _startup, final = instalments(record)
    assert final.budget_year == 2025  # construction ends 2024-12-31: expected the year after

    assert len(release_instalments(application=record.application, trigger="acceptance_passed", on=PASSED_ON)) == 1
    assert release_instalments(application=record.application, trigger="acceptance_passed", on=LATER.date()) == []

    final.refresh_from_db()
    assert (final.due_on, final.budget_year) == (PASSED_ON, 2025)
    assert AuditEntry.objects.filter(event="funding:release").count() == 1


def test_release_opens_a_missing_record_first(make_designated):
    application = make_designated(open_record=False)

    release_instalments(application=application, trigger="acceptance_passed", on=PASSED_ON)

    assert application.funding_record.instalments.filter(due_on__isnull=False).count() == 2


def test_an_unknown_trigger_is_refused(record):
    with pytest.raises(ValidationError, match="未知的拨付条件"):
        release_instalments(application=record.application, trigger="whenever", on=PASSED_ON)


def test_a_revoked_record_shows_revoked_and_its_60_percent_is_never_due(record, call_admin_user):
    startup, final = instalments(record)
    pay(record, startup, Decimal("120000.00"), call_admin_user)

    cancel_outstanding_instalments(application=record.application, reason="二次验收不合格，撤销命名", at=LATER)
    released = release_instalments(application=record.application, trigger="acceptance_passed", on=PASSED_ON)

    assert released == []
    shown = get_funding_record(user=call_admin_user, public_id=record.public_id)
    assert shown.status == "revoked" and str(shown.status_label) == "已撤销"
    assert shown.revoke_reason == "二次验收不合格，撤销命名"
    startup_shown, final_shown = shown.instalments.all()
    assert startup_shown.status == "paid" and startup_shown.cancelled_at is None
    assert final_shown.status == "cancelled" and final_shown.due_on is None
    assert shown.figures.paid == Decimal("120000.00")  # history kept
    assert shown.figures.committed == Decimal("120000.00")
    assert shown.figures.awaiting == Decimal("0.00") and shown.figures.unpaid == Decimal("0.00")
    with pytest.raises(ValidationError, match="已因撤销命名取消"):
        pay(record, final, Decimal("1.00"), call_admin_user, at=LATER)
    assert LedgerEntry.objects.filter(record=record).count() == 1


def test_revocation_cancels_an_unpaid_startup_too_and_is_idempotent(record, call_admin_user):
    startup, _final = instalments(record)
    pay(record, startup, Decimal("20000.00"), call_admin_user)

    cancel_outstanding_instalments(application=record.application, reason="撤销命名", at=LATER)
    cancel_outstanding_instalments(application=record.application, reason="再次撤销", at=LATER)

    shown = get_funding_record(user=call_admin_user, public_id=record.public_id)
    assert shown.revoke_reason == "撤销命名"
    assert [item.status for item in shown.instalments.all()] == ["cancelled", "cancelled"]
    assert shown.figures.committed == Decimal("20000.00")  # what was paid before the revocation
    with pytest.raises(ValidationError, match="已因撤销命名取消"):
        pay(record, startup, Decimal("1.00"), call_admin_user, at=LATER)
    assert AuditEntry.objects.filter(event="funding:revoke").count() == 1
