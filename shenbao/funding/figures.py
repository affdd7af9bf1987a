"""What an instalment and a record amount to (应拨付、已拨付、待拨付、待验收), from rows already loaded.

Definitions used by every page, the budget and the export:
- paid (已拨付): the sum of the instalment's ledger entries (payments minus their reversals);
- committed (承诺): the instalment's amount; for an instalment cancelled by revocation (撤销命名) only what was
  paid on it before, since the rest will never be paid;
- due (应拨付): the committed amount of an instalment whose trigger has happened (it has a due date);
- unpaid (待拨付): due minus paid;
- awaiting (待验收后拨付): the amount of an instalment whose trigger has not happened yet and that is not cancelled;
- remaining (未拨付): committed minus paid (= unpaid + awaiting).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from shenbao.core.money import CENT

ZERO = Decimal("0.00")

INSTALMENT_STATUS = {
    "cancelled": _("已取消"),
    "awaiting": _("未到拨付条件"),
    "paid": _("已拨付"),
    "partly_paid": _("部分拨付"),
    "due": _("待拨付"),
}
# An instalment accepts payments only in these states: a paid one is no longer offered in the payment form.
PAYABLE_STATUSES = frozenset({"due", "partly_paid"})
RECORD_STATUS = {
    "revoked": _("已撤销"),
    "settled": _("已拨付完毕"),
    "active": _("执行中"),
}
RECORD_BADGES = {"revoked": "text-bg-danger", "settled": "text-bg-success", "active": "text-bg-primary"}


@dataclass(frozen=True)
class Figures:
    amount: Decimal = ZERO
    committed: Decimal = ZERO
    due: Decimal = ZERO
    paid: Decimal = ZERO
    awaiting: Decimal = ZERO

    @property
    def unpaid(self):
        return self.due - self.paid

    @property
    def remaining(self):
        return self.committed - self.paid

    def __add__(self, other):
        return Figures(
            amount=self.amount + other.amount,
            committed=self.committed + other.committed,
            due=self.due + other.due,
            paid=self.paid + other.paid,
            awaiting=self.awaiting + other.awaiting,
        )


def instalment_figures(*, amount, paid, due_on, cancelled):
    paid = (paid or ZERO).quantize(CENT)  # sums over SQLite come back with more places than the column
    committed = paid if cancelled else amount
    return Figures(
        amount=amount,
        committed=committed,
        due=committed if due_on is not None else ZERO,
        paid=paid,
        awaiting=ZERO if (cancelled or due_on is not None) else amount,
    )


def instalment_status(*, figures, due_on, cancelled):
    if cancelled:
        return "cancelled"
    if due_on is None:
        return "awaiting"
    if figures.paid >= figures.amount:
        return "paid"
    return "partly_paid" if figures.paid > 0 else "due"


def record_status(*, revoked, figures):
    if revoked:
        return "revoked"
    return "settled" if figures.remaining == 0 else "active"


def annotate_instalment(instalment):
    """Set `figures`, `status` and `status_label` on an instalment loaded with the `paid` annotation."""
    instalment.figures = instalment_figures(
        amount=instalment.amount,
        paid=instalment.paid,
        due_on=instalment.due_on,
        cancelled=instalment.cancelled_at is not None,
    )
    instalment.status = instalment_status(
        figures=instalment.figures, due_on=instalment.due_on, cancelled=instalment.cancelled_at is not None
    )
    instalment.status_label = INSTALMENT_STATUS[instalment.status]
    return instalment


def annotate_record(record):
    """Set `figures`, `status`, `status_label` and `status_badge` on a record whose instalments were prefetched with
    `paid`."""
    total = Figures()
    for instalment in record.instalments.all():
        total += annotate_instalment(instalment).figures
    record.figures = total
    record.status = record_status(revoked=record.revoked_at is not None, figures=total)
    record.status_label = RECORD_STATUS[record.status]
    record.status_badge = RECORD_BADGES[record.status]
    return record
