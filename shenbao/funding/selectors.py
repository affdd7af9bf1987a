"""Reads for funding pages and exports, scoped to the user by `rules.visible_records_q` (another city's or
another unit's record is simply not found: 404). Related rows load in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import DecimalField, F, OuterRef, Prefetch, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from shenbao.calls.selectors import list_calls_in, list_fund_sources_of_city
from shenbao.core.pending import count_pending

from .figures import ZERO, Figures, annotate_record, instalment_figures
from .models import Appropriation, FundingInstalment, FundingRecord, LedgerEntry
from .rules import administered_city, visible_records_q

if TYPE_CHECKING:
    from shenbao.accounts.rules import AnyUser
    from shenbao.calls.models import Call
    from shenbao.core.pending import Pending
    from shenbao.organisations.models import Region

MONEY = DecimalField(max_digits=14, decimal_places=2)


def paid_subquery(outer: str = "pk") -> Coalesce:
    """Net amount of the ledger entries of the instalment at OuterRef(`outer`) (0.00 when none)."""
    entries = (
        LedgerEntry.objects.filter(instalment=OuterRef(outer))
        .order_by()
        .values("instalment")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(entries, output_field=MONEY), Value(ZERO), output_field=MONEY)


def instalments_with_paid() -> QuerySet[FundingInstalment]:
    return FundingInstalment.objects.annotate(paid=paid_subquery()).order_by("sequence")


def _records(user: AnyUser) -> QuerySet[FundingRecord]:
    return (
        FundingRecord.objects.filter(visible_records_q(user))
        .select_related(
            "application__unit__region",
            "application__project_type",
            "application__call",
            "application__plaque",
        )
        .prefetch_related(Prefetch("instalments", queryset=instalments_with_paid()))
    )


def list_funding_records(
    *, user: AnyUser, call: Call | int | None = None, status: str | None = None
) -> QuerySet[FundingRecord]:
    """Records the user may see (call administrator: the city's; applicant: its unit's), newest calls first.

    The figures are attached when the page is evaluated: wrap a page's `object_list` in `annotate_records`.
    """
    records = _records(user)
    if call is not None:
        records = records.filter(application__call=call)
    if status == "revoked":
        records = records.filter(revoked_at__isnull=False)
    elif status == "active":
        records = records.filter(revoked_at__isnull=True)
    return records.order_by(
        "-application__call__year", "application__project_type__sort_order", "application__plaque__sequence", "pk"
    )


def annotate_records(records: Iterable[FundingRecord]) -> list[FundingRecord]:
    return [annotate_record(record) for record in records]


def get_funding_record(*, user: AnyUser, public_id: uuid.UUID | str) -> FundingRecord:
    """The record with `public_id` if `user` may see it (FundingRecord.DoesNotExist otherwise → 404)."""
    record = _records(user).get(public_id=public_id)
    return annotate_record(record)


def list_record_entries(*, record: FundingRecord) -> list[LedgerEntry]:
    """The ledger of one record in booking order, each reversal with its original and each payment with its
    reversal (if any) in one query."""
    entries = list(
        LedgerEntry.objects.filter(record=record)
        .select_related("instalment", "created_by", "reverses")
        .order_by("booked_on", "created_at", "pk")
    )
    reversed_ids = {entry.reverses_id for entry in entries if entry.reverses_id}
    for entry in entries:
        entry.is_reversed = entry.pk in reversed_ids
    return entries


def get_ledger_entry(*, user: AnyUser, public_id: uuid.UUID | str) -> LedgerEntry:
    """An entry of a record the user may see (LedgerEntry.DoesNotExist otherwise → 404)."""
    return LedgerEntry.objects.select_related("record__application__call", "instalment").get(
        visible_records_q(user, prefix="record__"), public_id=public_id
    )


def list_record_calls(*, user: AnyUser) -> QuerySet[Call]:
    """Calls that have at least one record visible to the user (the ledger's call filter)."""
    records = FundingRecord.objects.filter(visible_records_q(user))
    return list_calls_in(pks=records.values("application__call")).order_by("-year", "slug")


def list_fund_sources(*, user: AnyUser) -> list[str]:
    """Fund sources (经费来源) named by the calls of the administrator's city, plus those already budgeted."""
    city = administered_city(user)
    if city is None:
        return []
    named = list_fund_sources_of_city(city=city)
    budgeted = Appropriation.objects.filter(city=city).values_list("fund_source", flat=True)
    return sorted(set(named) | set(budgeted))


def list_appropriations(*, user: AnyUser) -> QuerySet[Appropriation]:
    city = administered_city(user)
    if city is None:
        return Appropriation.objects.none()
    return Appropriation.objects.filter(city=city).select_related("updated_by").order_by("fund_source", "-year")


def list_ledger_entries_for_export(*, user: AnyUser, call: Call | int | None = None) -> QuerySet[LedgerEntry]:
    entries = LedgerEntry.objects.filter(visible_records_q(user, prefix="record__"))
    if call is not None:
        entries = entries.filter(record__application__call=call)
    return entries.select_related(
        "instalment", "created_by", "reverses", "record__application__unit__region", "record__application__call"
    ).order_by("record__application__number", "booked_on", "created_at", "pk")


def count_instalments_to_pay(*, user: AnyUser, today: dt.date) -> Pending:
    """经费待拨付 (core.todos): due instalments of the administrator's city not yet paid in full; overdue after
    their 应拨付日期. An applicant's records are left out: paying is the administrator's work."""
    city = administered_city(user)
    if city is None:
        return count_pending(FundingInstalment.objects.none())
    unpaid = FundingInstalment.objects.filter(
        record__application__call__city=city.pk,
        record__revoked_at__isnull=True,
        due_on__isnull=False,
        cancelled_at__isnull=True,
    ).annotate(paid=paid_subquery())
    return count_pending(unpaid.filter(paid__lt=F("amount")), due="due_on", today=today)


def sum_figures_by_project_type(*, project_types: Iterable[int]) -> dict[int, Figures]:
    """{project_type pk: Figures} (committed, paid …) of the funding records of `project_types`, for the province's
    statistics, which scope the project types; one query over the instalments."""
    rows = (
        FundingInstalment.objects.filter(record__application__project_type__in=project_types)
        .annotate(paid=paid_subquery())
        .values("amount", "paid", "due_on", "cancelled_at", "record__application__project_type")
    )
    totals: defaultdict[int, Figures] = defaultdict(Figures)
    for row in rows:
        totals[row["record__application__project_type"]] += instalment_figures(
            amount=row["amount"], paid=row["paid"], due_on=row["due_on"], cancelled=row["cancelled_at"] is not None
        )
    return dict(totals)


def sum_figures_by_year_and_county(*, calls: QuerySet | Iterable) -> dict[tuple[int, int, str], Figures]:
    """{(call year, budget year, county name): Figures} of the funding records of `calls` (scoped by the caller,
    the leadership's statistics); one query over the instalments, each amounted by `figures.instalment_figures`
    (committed, due and paid mean the same here as on the budget page)."""
    rows = (
        FundingInstalment.objects.filter(record__application__call__in=calls)
        .annotate(paid=paid_subquery())
        .values(
            "amount",
            "paid",
            "due_on",
            "cancelled_at",
            "budget_year",
            "record__application__call__year",
            "record__application__unit__region__name",
        )
    )
    totals: defaultdict[tuple[int, int, str], Figures] = defaultdict(Figures)
    for row in rows:
        key = (
            row["record__application__call__year"],
            row["budget_year"],
            row["record__application__unit__region__name"],
        )
        totals[key] += instalment_figures(
            amount=row["amount"], paid=row["paid"], due_on=row["due_on"], cancelled=row["cancelled_at"] is not None
        )
    return dict(totals)


def sum_appropriations_by_year(*, city: Region | int) -> dict[int, Decimal]:
    """{year: the city's yearly appropriation (年度预算), every fund source together}, for the leadership's
    statistics (the caller scopes the city); one query."""
    rows = Appropriation.objects.filter(city=city).order_by().values("year").annotate(total=Sum("amount"))
    return {row["year"]: row["total"] for row in rows}
