"""Two payments entered at once cannot overpay: the funding record's row lock makes the second one wait and then
see the first (PostgreSQL; SQLite has no row locks and its test database is not shared between threads)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from shenbao.audit.models import AuditEntry
from shenbao.funding.models import LedgerEntry
from shenbao.funding.services import record_payment, reverse_entry
from tests.applications.test_race import race

from .builders import AFTER_DESIGNATION

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has no row locks and its test database is not shared between threads",
    ),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("documents_queued"),
]


def test_two_simultaneous_full_startup_payments_make_one(record, call_admin_user):
    startup = record.instalments.get(code="startup")

    def pay():
        return record_payment(
            record=record,
            instalment=startup,
            amount=Decimal("120000.00"),
            paid_on=datetime.date(2023, 1, 5),
            voucher_number="记-2023-001",
            actor=call_admin_user,
            at=AFTER_DESIGNATION,
        )

    outcomes = race(2, pay)

    payments = [outcome for outcome in outcomes if isinstance(outcome, LedgerEntry)]
    refusals = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    assert len(payments) == 1 and len(refusals) == 1, outcomes
    assert "未拨付金额 0.00 元" in refusals[0].messages[0]
    assert LedgerEntry.objects.filter(record=record).count() == 1
    assert AuditEntry.objects.filter(event="funding:payment").count() == 1


def test_two_simultaneous_reversals_of_one_payment_make_one(record, call_admin_user):
    payment = record_payment(
        record=record,
        instalment=record.instalments.get(code="startup"),
        amount=Decimal("100.00"),
        paid_on=datetime.date(2023, 1, 5),
        voucher_number="记-2023-001",
        actor=call_admin_user,
        at=AFTER_DESIGNATION,
    )

    outcomes = race(2, lambda: reverse_entry(entry=payment, reason="录错", actor=call_admin_user, at=AFTER_DESIGNATION))

    assert sum(isinstance(outcome, LedgerEntry) for outcome in outcomes) == 1, outcomes
    assert LedgerEntry.objects.filter(kind="reversal").count() == 1
