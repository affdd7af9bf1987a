"""The 待办 counters of the construction period and of 评估验收 that `core.todos` puts on each role's dashboard.

Each answers `Pending` (how many, how many overdue) for one user in a fixed number of queries, through the same
scoping rules as the lists the 待办 links to (`selectors`, `rules`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, TypedDict

from django.db.models import F, Prefetch, QuerySet

from shenbao.accounts.roles import Role
from shenbao.calls.periods import construction_years
from shenbao.core.pending import Pending, count_pending

from . import periods
from .models import AcceptanceEvaluation, ExpertReview, ProgressReport, Rectification
from .reviews import ReviewCounts, with_review_counts
from .rules import own_reviews_q, visible_evaluations_q, visible_rectifications_q, visible_reports_q
from .selectors import list_projects

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from shenbao.accounts.models import User
    from shenbao.accounts.rules import AnyUser
    from shenbao.applications.models import Application


class FinishedReports(TypedDict):
    """Prefetched on the projects of `count_reports_to_file`: their submitted or accepted reports."""

    finished_reports: list[ProgressReport]


FINISHED_REPORTS = (ProgressReport.Status.SUBMITTED, ProgressReport.Status.ACCEPTED)


def count_reports_to_file(*, user: User, today: dt.date) -> Pending:
    """年度进展报告待报送 — each ended year of the unit's construction periods without a submitted report (a
    returned one counts again); overdue after the year's 报送截止日期. Two queries, however many projects."""
    if not user.has_role(Role.APPLICANT):
        return Pending()
    finished = ProgressReport.objects.filter(status__in=FINISHED_REPORTS).only("application_id", "year")
    projects: QuerySet[WithAnnotations[Application, FinishedReports]] = (
        list_projects(user=user)
        .filter(unit=user.organisation_id)
        .prefetch_related(Prefetch("progress_reports", queryset=finished, to_attr="finished_reports"))
    )
    total = overdue = 0
    for project in projects:
        done = {report.year for report in project.finished_reports}
        for year in construction_years(project.project_type):
            if year >= today.year or year in done:
                continue
            total += 1
            overdue += periods.report_due_on(project.project_type, year) < today
    return Pending(total=total, overdue=overdue)


def count_rectifications_to_file(*, user: User, today: dt.date) -> Pending:
    """整改报告待提交 — the unit's open rectifications; overdue after their 整改截止日期."""
    if not user.has_role(Role.APPLICANT):
        return Pending()
    open_items = Rectification.objects.filter(
        visible_rectifications_q(user), application__unit=user.organisation_id, status=Rectification.Status.DRAFT
    )
    return count_pending(open_items, due="due_on", today=today)


def count_self_evaluations_to_submit(*, user: User) -> Pending:
    """验收自评待提交 — the unit's evaluations still being filled in."""
    if not user.has_role(Role.APPLICANT):
        return Pending()
    drafts = AcceptanceEvaluation.objects.filter(
        visible_evaluations_q(user), application__unit=user.organisation_id, status=AcceptanceEvaluation.Status.DRAFT
    )
    return count_pending(drafts)


def count_reviews_to_submit(*, user: AnyUser) -> Pending:
    """验收评分表待提交 — the expert's active sheets of evaluations still being scored."""
    waiting = ExpertReview.objects.filter(
        own_reviews_q(user), submitted_at__isnull=True, evaluation__status=AcceptanceEvaluation.Status.SUBMITTED
    )
    return count_pending(waiting)


def count_reports_to_review(*, user: User) -> Pending:
    """年度进展报告待审核 — the city's submitted reports (the administrator's)."""
    if not user.has_role(Role.CALL_ADMIN):
        return Pending()
    submitted = ProgressReport.objects.filter(visible_reports_q(user), status=ProgressReport.Status.SUBMITTED)
    return count_pending(submitted)


def _evaluations_being_scored(user: User) -> QuerySet[WithAnnotations[AcceptanceEvaluation, ReviewCounts]]:
    if not user.has_role(Role.CALL_ADMIN):
        return with_review_counts(AcceptanceEvaluation.objects.none())
    return with_review_counts(
        AcceptanceEvaluation.objects.filter(visible_evaluations_q(user), status=AcceptanceEvaluation.Status.SUBMITTED)
    )


def count_evaluations_needing_experts(*, user: User) -> Pending:
    """评估验收待指派专家 — applied evaluations with fewer active experts than the call's acceptance panel size."""
    evaluations = _evaluations_being_scored(user).filter(
        review_count__lt=F("application__call__acceptance_experts_per_application")
    )
    return count_pending(evaluations)


def count_evaluations_ready_for_result(*, user: User) -> Pending:
    """评估验收待出结论 — evaluations whose full panel of experts has submitted every sheet."""
    evaluations = _evaluations_being_scored(user).filter(
        review_count__gte=F("application__call__acceptance_experts_per_application"),
        submitted_count=F("review_count"),
    )
    return count_pending(evaluations)
