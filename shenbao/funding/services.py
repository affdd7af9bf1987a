"""Writes about funding (建设扶持经费): open a record at designation, release and cancel instalments, record
payments and their reversals, enter the yearly appropriation.

Every write that touches a record's money locks the record row (SELECT … FOR UPDATE) first, so two payments
entered at once are checked one after the other and can never pay more than is due.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from shenbao.applications.selectors import lock_application
from shenbao.audit.services import record_event
from shenbao.awards.selectors import get_plaque, list_plaque_holders
from shenbao.calls.models import Instalment
from shenbao.calls.selectors import list_instalment_amounts
from shenbao.core.money import CENT, MoneyError, parse_money
from shenbao.notices.selectors import beijing_date

from .models import Appropriation, FundingInstalment, FundingRecord, LedgerEntry
from .rules import administered_city, may_manage_record

if TYPE_CHECKING:
    from shenbao.accounts.models import User
    from shenbao.applications.models import Application
    from shenbao.calls.models import Call, ProjectType


ZERO = Decimal("0.00")
TRIGGERS = frozenset(Instalment.Trigger.values)
# The workflow state of a revoked designation (撤销命名, added by the acceptance app).
REVOKED_STATUS = "revoked"


def expected_budget_year(*, trigger: str, designated_on: dt.date, project_type: ProjectType) -> int:
    """The year an instalment counts against the budget until it is due (预算年度).

    The start-up (授牌后拨付) is due at designation, so its designation year. An instalment that waits for a passed
    评估验收 is expected in the year after the construction period ends (the evaluation happens at its end);
    `release_instalments` moves it to the year it actually becomes due.
    """
    if trigger == Instalment.Trigger.DESIGNATION:
        return designated_on.year
    return project_type.construction_end.year + 1


def _amount(value: object, *, positive: bool) -> Decimal:
    """`core.money.parse_money`, its refusal hung on the form's `amount` field."""
    try:
        return parse_money(value, positive=positive)
    except MoneyError as error:
        raise ValidationError({"amount": error.messages}, code="invalid_amount") from None


def _paid_on(instalment: FundingInstalment) -> Decimal:
    # SQLite's SUM of decimals comes back with more places than the column; the ledger is to the fen.
    return (instalment.entries.aggregate(paid=Sum("amount"))["paid"] or ZERO).quantize(CENT)


def _lock_record(
    application: Application, *, at: dt.datetime | None = None, actor: User | None = None
) -> FundingRecord:
    """The application's funding record, locked; opened first when designation predates the funding app."""
    record = FundingRecord.objects.select_for_update().filter(application=application.pk).first()
    if record is None:
        open_funding_record(application=application, at=at, actor=actor)
        record = FundingRecord.objects.select_for_update().get(application=application.pk)
    return record


def open_funding_record(
    *, application: Application, at: dt.datetime | None = None, actor: User | None = None
) -> FundingRecord:
    """Open the funding record (经费台账) of a designated application; returns the existing one if already open.

    The total is the project type's amount from the call file; its instalments follow the call's rows, split to
    the fen by `calls.selectors.list_instalment_amounts` (the last one takes the remainder). Instalments triggered by
    designation are due on the plaque's date (授牌日期); the others wait for `release_instalments`.
    Runs as an effect of the `award` step (after the plaque is issued) and from `open_missing_funding_records`.
    """
    at = at or timezone.now()
    with transaction.atomic():
        locked = lock_application(application=application)
        existing = FundingRecord.objects.filter(application=locked).first()
        if existing is not None:
            return existing
        plaque = get_plaque(application=locked)
        if plaque is None:
            raise ValidationError(_("该申报尚未授牌，不能建立经费台账。"), code="not_designated")
        project_type = locked.project_type
        parts = list_instalment_amounts(project_type=project_type)
        if not parts:
            raise ValidationError(
                _("「%(name)s」在申报通知中未配置拨付批次。") % {"name": project_type.name}, code="no_instalments"
            )
        total = project_type.funding_amount
        instalments = [instalment for instalment, _amount in parts]
        amounts = [amount for _instalment, amount in parts]
        record = FundingRecord.objects.create(
            application=locked, total=total, designated_on=plaque.issued_on, opened_at=at
        )
        FundingInstalment.objects.bulk_create(
            FundingInstalment(
                record=record,
                instalment=instalment,
                sequence=instalment.sequence,
                code=instalment.code,
                name=instalment.name,
                percent=instalment.percent,
                trigger=instalment.trigger,
                amount=amount,
                budget_year=expected_budget_year(
                    trigger=instalment.trigger, designated_on=plaque.issued_on, project_type=project_type
                ),
                due_on=plaque.issued_on if instalment.trigger == Instalment.Trigger.DESIGNATION else None,
            )
            for instalment, amount in zip(instalments, amounts, strict=True)
        )
        record_event(
            event="funding:open",
            actor=actor,
            target=record,
            details={
                "number": locked.number,
                "total": str(total),
                "designated_on": plaque.issued_on.isoformat(),
                "instalments": {
                    instalment.code: str(amount) for instalment, amount in zip(instalments, amounts, strict=True)
                },
            },
        )
    return record


def open_missing_funding_records(
    *, call: Call | None = None, at: dt.datetime | None = None, actor: User | None = None
) -> list[FundingRecord]:
    """Open the records of applications designated before the funding app existed; returns the new records.

    Idempotent: applications that already have a record are skipped. A designation revoked in the meantime
    gets its record and, at once, its outstanding instalments cancelled.
    """
    candidates = list_plaque_holders().filter(funding_record__isnull=True)
    if call is not None:
        candidates = candidates.filter(call=call)
    opened: list[FundingRecord] = []
    for application in candidates.order_by("pk"):
        record = open_funding_record(application=application, at=at, actor=actor)
        if application.status == REVOKED_STATUS:
            cancel_outstanding_instalments(application=application, reason="撤销命名", actor=actor, at=at)
        opened.append(record)
    return opened


def release_instalments(
    *, application: Application, trigger: str, on: dt.date, actor: User | None = None
) -> list[FundingInstalment]:
    """Make the instalments with `trigger` (e.g. `acceptance_passed`, 评估验收合格) due on the date `on`.

    Idempotent: instalments already due keep their date; cancelled ones (撤销命名) stay cancelled. The released
    instalments move to the budget year of `on`. Returns the instalments released now.
    """
    if trigger not in TRIGGERS:
        raise ValidationError(_("未知的拨付条件：%(trigger)s") % {"trigger": trigger}, code="unknown_trigger")
    with transaction.atomic():
        record = _lock_record(application, actor=actor)
        waiting = list(record.instalments.filter(trigger=trigger, due_on__isnull=True, cancelled_at__isnull=True))
        for instalment in waiting:
            instalment.due_on = on
            instalment.budget_year = on.year
            instalment.save(update_fields=["due_on", "budget_year"])
        if waiting:
            record_event(
                event="funding:release",
                actor=actor,
                target=record,
                details={
                    "trigger": trigger,
                    "due_on": on.isoformat(),
                    "instalments": {instalment.code: str(instalment.amount) for instalment in waiting},
                },
            )
    return waiting


def cancel_outstanding_instalments(
    *, application: Application, reason: str, actor: User | None = None, at: dt.datetime | None = None
) -> FundingRecord:
    """撤销命名: every instalment not fully paid is cancelled (never due again) and the record shows 已撤销.

    Payments already made stay in the ledger; a cancelled instalment keeps what was paid on it and accepts no
    further payment. Idempotent: a record already revoked is returned unchanged.
    """
    at = at or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写撤销原因。"), code="reason_required")
    with transaction.atomic():
        record = _lock_record(application, at=at, actor=actor)
        if record.is_revoked:
            return record
        cancelled: list[FundingInstalment] = []
        for instalment in record.instalments.filter(cancelled_at__isnull=True):
            if _paid_on(instalment) < instalment.amount:
                instalment.cancelled_at = at
                instalment.cancel_reason = reason
                instalment.save(update_fields=["cancelled_at", "cancel_reason"])
                cancelled.append(instalment)
        record.revoked_at = at
        record.revoke_reason = reason
        record.save(update_fields=["revoked_at", "revoke_reason"])
        record_event(
            event="funding:revoke",
            actor=actor,
            target=record,
            details={"reason": reason, "cancelled": {item.code: str(item.amount) for item in cancelled}},
        )
    return record


def record_payment(
    *,
    record: FundingRecord,
    instalment: FundingInstalment,
    amount: Decimal | str,
    paid_on: dt.date,
    voucher_number: str,
    actor: User,
    at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> LedgerEntry:
    """Record a payment (拨付) of `amount` on `instalment`, paid on `paid_on` under voucher `voucher_number`.

    Refused (ValidationError) when the instalment is cancelled or not yet due (the 60% before a passed
    acceptance), when the amount is not positive, not to the fen or more than is due and unpaid on the
    instalment, when the date is before the due date or in the future, or without a voucher number.
    PermissionDenied unless `actor` administers the call's city.
    """
    at = at or timezone.now()
    amount = _amount(amount, positive=True)
    voucher_number = (voucher_number or "").strip()
    if not may_manage_record(actor, record):
        raise PermissionDenied(_("只有本市的申报管理员可以录入拨付记录。"))
    errors: dict[str, Any] = {}
    if not voucher_number:
        errors["voucher_number"] = _("请填写凭证号。")
    if paid_on > beijing_date(at):
        errors["paid_on"] = _("拨付日期不能晚于今天。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = FundingRecord.objects.select_for_update().get(pk=record.pk)
        current = FundingInstalment.objects.filter(record=locked, pk=instalment.pk).first()
        if current is None:
            raise ValidationError(_("该拨付批次不属于此经费台账。"), code="wrong_instalment")
        if current.is_cancelled:
            raise ValidationError(
                _("「%(name)s」已因撤销命名取消，不再拨付。") % {"name": current.name}, code="cancelled"
            )
        if current.due_on is None:
            raise ValidationError(
                _("「%(name)s」尚未到拨付条件（%(trigger_display)s），不能拨付。")
                % {"name": current.name, "trigger_display": current.get_trigger_display()},
                code="not_due",
            )
        if paid_on < current.due_on:
            raise ValidationError(
                {
                    "paid_on": _("拨付日期不能早于该批次的应拨付日期 %(due_on)s。")
                    % {"due_on": format(current.due_on, "%Y-%m-%d")}
                },
                code="before_due",
            )
        outstanding = current.amount - _paid_on(current)
        if amount > outstanding:
            raise ValidationError(
                {
                    "amount": _("拨付金额 %(amount)s 元超过「%(name)s」未拨付金额 %(outstanding)s 元。")
                    % {"amount": amount, "name": current.name, "outstanding": outstanding}
                },
                code="overpayment",
            )
        entry = LedgerEntry.objects.create(
            record=locked,
            instalment=current,
            kind=LedgerEntry.Kind.PAYMENT,
            amount=amount,
            booked_on=paid_on,
            voucher_number=voucher_number,
            created_by=actor,
        )
        record_event(
            event="funding:payment",
            actor=actor,
            target=locked,
            request=request,
            details={
                "entry": str(entry.public_id),
                "instalment": current.code,
                "amount": str(amount),
                "paid_on": paid_on.isoformat(),
                "voucher_number": voucher_number,
                "outstanding_after": str(outstanding - amount),
            },
        )
    return entry


def reverse_entry(
    *,
    entry: LedgerEntry,
    reason: str,
    actor: User,
    on: dt.date | None = None,
    voucher_number: str = "",
    at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> LedgerEntry:
    """Reverse a payment (冲销): a new entry of the same amount, negative, referencing it; the balance returns.

    A payment is reversed at most once and a reversal is never reversed (record the payment again instead).
    """
    at = at or timezone.now()
    on = on or beijing_date(at)
    reason = (reason or "").strip()
    if not may_manage_record(actor, entry.record):
        raise PermissionDenied(_("只有本市的申报管理员可以冲销拨付记录。"))
    if not reason:
        raise ValidationError({"reason": _("请填写冲销原因。")}, code="reason_required")
    if on > beijing_date(at):
        raise ValidationError({"booked_on": _("冲销日期不能晚于今天。")}, code="future_date")
    with transaction.atomic():
        locked = FundingRecord.objects.select_for_update().get(pk=entry.record_id)
        original = LedgerEntry.objects.select_related("instalment").get(pk=entry.pk)
        if original.kind != LedgerEntry.Kind.PAYMENT:
            raise ValidationError(_("冲销记录不能再冲销；如需更正，请重新录入拨付记录。"), code="not_a_payment")
        if LedgerEntry.objects.filter(reverses=original).exists():
            raise ValidationError(_("该拨付记录已冲销。"), code="already_reversed")
        if on < original.booked_on:
            raise ValidationError({"booked_on": _("冲销日期不能早于原拨付日期。")}, code="before_payment")
        try:
            with transaction.atomic():
                reversal = LedgerEntry.objects.create(
                    record=locked,
                    instalment=original.instalment,
                    kind=LedgerEntry.Kind.REVERSAL,
                    amount=-original.amount,
                    booked_on=on,
                    voucher_number=(voucher_number or "").strip(),
                    reverses=original,
                    reason=reason,
                    created_by=actor,
                )
        except IntegrityError as exc:
            raise ValidationError(_("该拨付记录已冲销。"), code="already_reversed") from exc
        record_event(
            event="funding:reversal",
            actor=actor,
            target=locked,
            request=request,
            details={
                "entry": str(reversal.public_id),
                "reverses": str(original.public_id),
                "instalment": original.instalment.code,
                "amount": str(reversal.amount),
                "booked_on": on.isoformat(),
                "voucher_number": original.voucher_number,
                "reason": reason,
            },
        )
    return reversal


def save_appropriation(
    *, actor: User, fund_source: str, year: int, amount: Decimal | str, request: HttpRequest | None = None
) -> Appropriation:
    """Enter or change the appropriation (年度预算) of `fund_source` for `year` in the actor's city."""
    city = administered_city(actor)
    if city is None:
        raise PermissionDenied(_("只有申报管理员可以录入年度预算。"))
    amount = _amount(amount, positive=False)
    fund_source = (fund_source or "").strip()
    errors: dict[str, Any] = {}
    if not fund_source:
        errors["fund_source"] = _("请填写经费来源。")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = _("请填写正确的年度。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = (
            Appropriation.objects.select_for_update().filter(city=city, fund_source=fund_source, year=year).first()
        )
        old = current.amount if current else None
        if current is None:
            try:
                with transaction.atomic():
                    current = Appropriation.objects.create(
                        city=city, fund_source=fund_source, year=year, amount=amount, updated_by=actor
                    )
            except IntegrityError as exc:
                raise ValidationError(_("该年度预算刚由他人录入，请刷新后重试。"), code="concurrent") from exc
        elif old != amount:
            current.amount = amount
            current.updated_by = actor
            current.save(update_fields=["amount", "updated_by", "updated_at"])
        record_event(
            event="funding:appropriation",
            actor=actor,
            target=current,
            request=request,
            changes={"预算金额": [str(old) if old is not None else "", str(amount)]},
            details={"fund_source": fund_source, "year": year},
        )
    return current
