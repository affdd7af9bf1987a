"""Reads of the construction period and 评估验收, always through the scoping rules of `rules`.

Lists load their related rows in a fixed number of queries (select_related / prefetch / annotations), so a page
costs the same with one row or a city's worth.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Count, Prefetch, Q, QuerySet

from shenbao.accounts.selectors import filter_users
from shenbao.applications.models import Application
from shenbao.applications.selectors import list_applications
from shenbao.calls.periods import construction_years

from . import periods, targets
from .evaluations import acceptance_rubric
from .models import (
    AcceptanceEvaluation,
    EvidenceFile,
    ExpertReview,
    FundUse,
    ItemResult,
    ProgressReport,
    Rectification,
)
from .reviews import ReviewCounts, eligible_experts_q, with_review_counts
from .rules import (
    designated_applications_q,
    own_reviews_q,
    visible_evaluations_q,
    visible_evidence_q,
    visible_rectifications_q,
    visible_reports_q,
)
from .statistics import count_evaluations_by_round_and_outcome as count_evaluations_by_round_and_outcome
from .statistics import count_progress_reports_by_year_and_status as count_progress_reports_by_year_and_status

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise, WithAnnotations

    from shenbao.accounts.models import User
    from shenbao.accounts.rules import AnyUser
    from shenbao.calls.models import RubricItem
    from shenbao.organisations.models import Region

APPLICATION_RELATED = ("application__unit__region", "application__project_type", "application__call")


class FundTotals(TypedDict):
    subsidy: Decimal
    own: Decimal
    total: Decimal


# --- Designated units (项目) --------------------------------------------------------------------------------------


def _designated_applications(user: AnyUser) -> QuerySet[Application]:
    return list_applications(user=user).filter(designated_applications_q(user))


def list_projects(*, user: AnyUser) -> QuerySet[Application]:
    """The designated applications `user` follows (the unit's own, or the city's), by call and plaque number."""
    return (
        _designated_applications(user)
        .select_related("unit", "unit__region", "project_type", "call", "plaque")
        .order_by("-call__published_on", "project_type__sort_order", "plaque__sequence", "pk")
    )


def get_project(*, user: AnyUser, public_id: uuid.UUID | str) -> Application:
    return list_projects(user=user).get(public_id=public_id)


@dataclass
class YearRow:
    year: int
    due_on: dt.date
    opens_on: dt.date
    report: ProgressReport | None = None


@dataclass
class ProjectOverview:
    application: Application
    years: list[YearRow]
    evaluations: list[AcceptanceEvaluation]
    rectifications: dict[int, Rectification] = field(default_factory=dict)  # evaluation pk → Rectification

    @property
    def latest_evaluation(self) -> AcceptanceEvaluation | None:
        return self.evaluations[-1] if self.evaluations else None

    @property
    def open_rectification(self) -> Rectification | None:
        latest = self.latest_evaluation
        return self.rectifications.get(latest.pk) if latest is not None else None


def get_project_overview(*, application: Application, user: AnyUser) -> ProjectOverview:
    """Each year of the period with its report (the unit sees drafts, the city only what was submitted), the
    evaluation rounds and any rectification."""
    project_type = application.project_type
    reports = {
        report.year: report
        for report in ProgressReport.objects.filter(visible_reports_q(user), application=application).order_by("year")
    }
    years = [
        YearRow(
            year,
            periods.report_due_on(project_type, year),
            periods.report_opens_on(project_type, year),
            reports.get(year),
        )
        for year in construction_years(project_type)
    ]
    evaluations = list(
        AcceptanceEvaluation.objects.filter(visible_evaluations_q(user), application=application).order_by("round")
    )
    # Of the evaluations shown: the city follows the rectification period (its due date) from its start.
    rectifications = {
        item.evaluation_id: item
        for item in Rectification.objects.filter(evaluation__in=[evaluation.pk for evaluation in evaluations])
    }
    for evaluation in evaluations:
        evaluation.rectification_row = rectifications.get(evaluation.pk)
    return ProjectOverview(application, years, evaluations, rectifications)


# --- Progress reports --------------------------------------------------------------------------------------------


def list_reports(
    *,
    user: AnyUser,
    year: int | str | None = None,
    status: str = "",
    project_type: str | None = None,
    region: Region | int | None = None,
) -> QuerySet[ProgressReport]:
    """Reports `user` may see (the city's submitted ones for the administrator), newest submission first."""
    reports = ProgressReport.objects.filter(visible_reports_q(user)).select_related(*APPLICATION_RELATED)
    if year:
        reports = reports.filter(year=year)
    if status:
        reports = reports.filter(status=status)
    if project_type is not None:
        reports = reports.filter(application__project_type__code=project_type)
    if region is not None:
        reports = reports.filter(application__unit__region=region)
    return reports.annotate(evidence_count=Count("evidence", filter=Q(evidence__is_current=True))).order_by(
        "-submitted_at", "-pk"
    )


def get_report(*, user: AnyUser, public_id: uuid.UUID | str) -> ProgressReport:
    return (
        ProgressReport.objects.filter(visible_reports_q(user))
        .select_related(*APPLICATION_RELATED, "application__unit", "submitted_by", "reviewed_by")
        .get(public_id=public_id)
    )


@dataclass(frozen=True)
class TargetRow:
    target: dict[str, Any]
    achieved: str
    status: str
    status_label: str
    note: str
    completion: Decimal | None  # achieved / planned as a percentage, for quantity targets


STATUS_LABELS = dict(targets.PROGRESS_STATUSES)


def report_rows(report: ProgressReport) -> list[TargetRow]:
    """The report's targets beside what the unit says it achieved, grouped in the category order."""
    progress = report.progress or {}
    rows: list[TargetRow] = []
    for target in report.targets:
        entry = progress.get(target["key"]) or {}
        achieved = entry.get("achieved") or ""
        completion = None
        if target.get("planned") and achieved:
            planned = Decimal(target["planned"])
            if planned > 0:
                completion = (Decimal(achieved) * 100 / planned).quantize(Decimal("0.1"))
        status = entry.get("status") or ""
        rows.append(
            TargetRow(target, achieved, status, str(STATUS_LABELS.get(status, "")), entry.get("note") or "", completion)
        )
    order = {category: index for index, category in enumerate(targets.CATEGORY_ORDER)}
    return sorted(rows, key=lambda row: order.get(row.target["category"], len(order)))


def grouped_report_rows(report: ProgressReport) -> list[tuple[StrOrPromise, list[TargetRow]]]:
    """[(category label, [TargetRow])] in the category order, empty categories left out."""
    groups: dict[str, list[TargetRow]] = {}
    for row in report_rows(report):
        groups.setdefault(row.target["category"], []).append(row)
    return [(targets.CATEGORY_LABELS.get(category, category), rows) for category, rows in groups.items()]


def list_fund_uses(*, report: ProgressReport) -> QuerySet[FundUse]:
    return FundUse.objects.filter(report=report).order_by("sort_order", "pk")


def fund_totals(fund_uses: Iterable[FundUse]) -> FundTotals:
    subsidy = sum((line.subsidy_spent for line in fund_uses), Decimal("0"))
    own = sum((line.own_spent for line in fund_uses), Decimal("0"))
    return {"subsidy": subsidy, "own": own, "total": subsidy + own}


def list_evidence(
    **owner: ProgressReport | AcceptanceEvaluation | Rectification,
) -> QuerySet[EvidenceFile]:
    """Current evidence files of one owner (report=…, evaluation=… or rectification=…)."""
    return EvidenceFile.objects.filter(is_current=True, **owner).select_related("uploaded_by").order_by("uploaded_at")


def get_evidence(*, user: AnyUser, public_id: uuid.UUID | str) -> EvidenceFile:
    return (
        EvidenceFile.objects.filter(visible_evidence_q(user))
        .select_related("report", "evaluation", "rectification", "application")
        .get(public_id=public_id)
    )


# --- Evaluations -------------------------------------------------------------------------------------------------


def list_evaluations(
    *,
    user: AnyUser,
    status: str = "",
    band: str = "",
    project_type: str | None = None,
    round_number: int | str | None = None,
) -> QuerySet[WithAnnotations[AcceptanceEvaluation, ReviewCounts]]:
    """Evaluations of designated units `user` follows (the administrator: the city's, once applied)."""
    evaluations = AcceptanceEvaluation.objects.filter(
        visible_evaluations_q(user),
        application__in=_designated_applications(user),
    ).select_related(*APPLICATION_RELATED)
    if status:
        evaluations = evaluations.filter(status=status)
    if band:
        evaluations = evaluations.filter(band=band)
    if project_type is not None:
        evaluations = evaluations.filter(application__project_type__code=project_type)
    if round_number:
        evaluations = evaluations.filter(round=round_number)
    return with_review_counts(evaluations).order_by("-submitted_at", "-pk")


def get_evaluation(*, user: AnyUser, public_id: uuid.UUID | str) -> AcceptanceEvaluation:
    """An evaluation for the unit's applicant or the city's administrator (experts use their score sheet)."""
    return (
        AcceptanceEvaluation.objects.filter(
            visible_evaluations_q(user),
            application__in=_designated_applications(user),
        )
        .select_related(*APPLICATION_RELATED, "application__unit", "submitted_by", "decided_by")
        .get(public_id=public_id)
    )


def list_self_scores(*, evaluation: AcceptanceEvaluation) -> list[tuple[RubricItem, Decimal | None]]:
    """[(rubric item, self points or None)] in the rubric's order."""
    scores = {score.rubric_item_id: score.points for score in evaluation.self_scores.all()}
    return [(item, scores.get(item.pk)) for item in acceptance_rubric(evaluation.application.project_type)]


def list_evaluation_reviews(*, evaluation: AcceptanceEvaluation) -> list[ExpertReview]:
    """The active score sheets with their experts and scores (the administrator's view; never an expert's)."""
    return list(
        ExpertReview.objects.filter(evaluation=evaluation, removed_at__isnull=True)
        .select_related("expert", "expert__organisation")
        .prefetch_related("scores")
        .order_by("assigned_at", "pk")
    )


def list_item_results(*, evaluation: AcceptanceEvaluation) -> list[ItemResult]:
    return list(evaluation.item_results.select_related("rubric_item").order_by("rubric_item__sort_order"))


def list_eligible_experts(*, evaluation: AcceptanceEvaluation) -> QuerySet[User]:
    return (
        filter_users(query=eligible_experts_q(evaluation))
        .select_related("organisation")
        .distinct()
        .order_by("organisation__name", "full_name", "pk")
    )


def get_acceptance_outcome(*, application: Application) -> str | None:
    """The band of the latest decided evaluation of `application` (AcceptanceEvaluation.Band value) or None."""
    return (
        AcceptanceEvaluation.objects.filter(application=application, status=AcceptanceEvaluation.Status.DECIDED)
        .order_by("-round")
        .values_list("band", flat=True)
        .first()
    )


def map_acceptance_bands(*, applications: Iterable[int]) -> dict[int, str]:
    """{application pk: band of its latest decided evaluation} for `applications` (the public register's page);
    one query, applications without a decision left out."""
    rows = (
        AcceptanceEvaluation.objects.filter(
            application__in=list(applications), status=AcceptanceEvaluation.Status.DECIDED
        )
        .order_by("application", "-round")
        .values_list("application", "band")
    )
    bands: dict[int, str] = {}
    for application, band in rows:
        bands.setdefault(application, band)
    return bands


# --- Experts' score sheets ---------------------------------------------------------------------------------------


def list_own_reviews(*, user: AnyUser) -> QuerySet[ExpertReview]:
    return (
        ExpertReview.objects.filter(own_reviews_q(user))
        .select_related("evaluation", *(f"evaluation__{name}" for name in APPLICATION_RELATED))
        .order_by("submitted_at", "-assigned_at", "pk")
    )


def get_own_review(*, user: AnyUser, public_id: uuid.UUID | str) -> ExpertReview:
    return (
        ExpertReview.objects.filter(own_reviews_q(user))
        .select_related(
            "evaluation", "evaluation__application__unit", *(f"evaluation__{n}" for n in APPLICATION_RELATED)
        )
        .prefetch_related(Prefetch("scores"))
        .get(public_id=public_id)
    )


def list_reports_for_expert(*, user: AnyUser, application: Application) -> QuerySet[ProgressReport]:
    """The unit's submitted progress reports an assigned expert reads beside the self-evaluation."""
    return ProgressReport.objects.filter(visible_reports_q(user), application=application).order_by("year")


def get_rectification(*, user: AnyUser, public_id: uuid.UUID | str) -> Rectification:
    return (
        Rectification.objects.filter(visible_rectifications_q(user))
        .select_related("evaluation", *APPLICATION_RELATED, "application__unit")
        .get(public_id=public_id)
    )
