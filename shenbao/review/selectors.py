"""Reads of the review pages. Every query starts from `applications.rules.visible_applications_q(user)`.

A first reviewer's queue: the applications routed to the reviewer's body (a county bureau: its county's; a
competent department: the city-direct units it supervises). A city reviewer's queue: the city's applications
in 资格复核. Objects outside the scope raise Application.DoesNotExist (views answer 404).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any, TypedDict

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from shenbao.applications.selectors import latest_version_sequence, list_applications, with_paper_status
from shenbao.applications.workflow import ApplicationStatus
from shenbao.calls.selectors import list_calls_in, list_project_types
from shenbao.core.fragment_cache import cached_value
from shenbao.core.pending import count_pending

from .checklist import checklist_rows
from .models import FirstReviewRecord, RecheckDecision

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from shenbao.accounts.models import User
    from shenbao.applications.models import Application
    from shenbao.calls.models import Call, ProjectType
    from shenbao.core.pending import Pending


class CurrentRound(TypedDict):
    """Annotated on the applications of the re-check pages: the submitted version under review."""

    current_round: int


# Statuses a first reviewer can filter by (the queue opens on 待资格初审).
FIRST_REVIEW_FILTER_STATES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.RETURNED,
    ApplicationStatus.RECHECK,
    ApplicationStatus.REJECTED,
    ApplicationStatus.WITHDRAWN,
    ApplicationStatus.EXPERT_REVIEW,
)
RELATED = ("call", "project_type", "unit", "unit__region", "first_review_body")


def _first_review_scope(user: User) -> QuerySet[Application]:
    return list_applications(user=user).filter(first_review_body=user.organisation_id)


def list_first_review_queue(
    *,
    user: User,
    call: Call | None = None,
    project_type: ProjectType | None = None,
    status: str | None = ApplicationStatus.SUBMITTED,
) -> QuerySet[Application]:
    """Applications routed to the user's first-review body, filtered; oldest submission first."""
    queryset = with_paper_status(_first_review_scope(user).select_related(*RELATED))
    if call is not None:
        queryset = queryset.filter(call=call)
    if project_type is not None:
        queryset = queryset.filter(project_type=project_type)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("submitted_at", "pk")


def get_first_review_application(*, user: User, public_id: uuid.UUID | str) -> Application:
    return _first_review_scope(user).select_related(*RELATED).get(public_id=public_id)


def list_filter_calls(*, user: User) -> QuerySet[Call]:
    """Calls that have applications the user can see (for the queue's filter)."""
    return list_calls_in(pks=list_applications(user=user).values("call")).order_by("-year", "slug")


def list_filter_project_types(*, call: Call | None) -> QuerySet[ProjectType]:
    return list_project_types(call=call)


def list_first_review_records(*, application: Application) -> QuerySet[FirstReviewRecord]:
    return FirstReviewRecord.objects.filter(application=application).select_related("reviewer", "organisation", "seal")


def list_checklist_codes(*, application: Application) -> list[str]:
    """The codes of the first-review checklist's rows (every rule, then every material), in order."""
    return [row["code"] for row in checklist_rows(application=application, items={})]


def _recheck_scope(user: User) -> QuerySet[Application]:
    return list_applications(user=user, statuses=(ApplicationStatus.RECHECK,))


def list_recheck_queue(
    *, user: User, call: Call | None = None, project_type: ProjectType | None = None
) -> QuerySet[WithAnnotations[Application, CurrentRound]]:
    """The city's applications in 资格复核, each with `current_round` and `round_decisions` (this round's)."""
    queryset = with_paper_status(
        _recheck_scope(user).select_related(*RELATED).annotate(current_round=latest_version_sequence())
    )
    if call is not None:
        queryset = queryset.filter(call=call)
    if project_type is not None:
        queryset = queryset.filter(project_type=project_type)
    decisions = RecheckDecision.objects.select_related("body", "reviewer").order_by("at", "pk")
    return queryset.prefetch_related(Prefetch("recheck_decisions", queryset=decisions)).order_by("submitted_at", "pk")


def decisions_of_round(application: WithAnnotations[Application, CurrentRound]) -> list[RecheckDecision]:
    """This round's decisions of an application from `list_recheck_queue` (prefetched; no query)."""
    return [item for item in application.recheck_decisions.all() if item.round == application.current_round]


def get_recheck_application(*, user: User, public_id: uuid.UUID | str) -> WithAnnotations[Application, CurrentRound]:
    return (
        _recheck_scope(user)
        .select_related(*RELATED)
        .annotate(current_round=latest_version_sequence())
        .get(public_id=public_id)
    )


def get_visible_for_recheck(*, user: User, public_id: uuid.UUID | str) -> WithAnnotations[Application, CurrentRound]:
    """Any of the city's applications (e.g. one that just left 资格复核), for the page after a decision."""
    return (
        list_applications(user=user)
        .select_related(*RELATED)
        .annotate(current_round=latest_version_sequence())
        .get(public_id=public_id)
    )


def list_round_decisions(*, application: WithAnnotations[Application, CurrentRound]) -> list[RecheckDecision]:
    return list(
        RecheckDecision.objects.filter(application=application, round=application.current_round)
        .select_related("body", "reviewer")
        .order_by("at", "pk")
    )


# The columns the 初审汇总表 shows, read as values: a row needs no model instance, and neither the record's checklist
# snapshot nor the application's form data (JSON columns of kilobytes each) is read.
SUMMARY_COLUMNS = (
    "organisation__name",
    "application__unit__name",
    "application__unit__region__name",
    "application__project_type__name",
    "application__number",
    "application__public_id",
    "decision",
    "recommendation",
    "comment",
    "reviewer__full_name",
    "reviewer__username",
    "at",
)


SUMMARY_ORDER = ("organisation__name", "application__project_type__sort_order", "application__number", "pk")


def _summary_records(*, user: User, call: Call, project_type: ProjectType | None = None) -> QuerySet[FirstReviewRecord]:
    visible = list_applications(user=user, call=call)
    if project_type is not None:
        visible = visible.filter(project_type=project_type)
    return FirstReviewRecord.objects.filter(application__call=call, application__in=visible, is_latest=True).order_by(
        *SUMMARY_ORDER
    )


def list_first_review_summary(
    *, user: User, call: Call, project_type: ProjectType | None = None
) -> QuerySet[FirstReviewRecord, dict[str, Any]]:
    """初审汇总表: the latest first-review decision of each visible application of the call, grouped by body, as
    `SUMMARY_COLUMNS` values.

    A first reviewer sees its own body's; a city reviewer or the administrator the whole city's. The records are
    narrowed to the call's applications on the record's own join (the planner then starts from the call's
    applications instead of every record of the province) before the visibility rule is applied, and each
    application's latest record is found by its flag's partial unique index (`FirstReviewRecord.is_latest`).
    """
    return _summary_records(user=user, call=call, project_type=project_type).values(*SUMMARY_COLUMNS)


def page_first_review_summary(*, user: User, call: Call, number: str | int | None, per_page: int) -> Page:
    """One page of `list_first_review_summary`, its rows as `SUMMARY_COLUMNS` values.

    The count and the page's keys are read from the records alone, then only the page's rows with their columns:
    counting with the columns' six joins cost a large call's page more than the rows themselves. The page is kept
    per reader, call and page until the next audited change (`core.fragment_cache`): every first-review decision
    is audited, and sorting a 5,000-application call's latest records by body took most of the page's time at
    province scale (`make bench --scale province`), for a table read mostly after the decisions are made."""
    requested = int(str(number)) if str(number).isdigit() else 1

    def build() -> tuple[int, int, list[dict[str, Any]]]:
        keys = _summary_records(user=user, call=call)
        page = Paginator(keys, per_page).get_page(requested)
        if not page.paginator.count:
            return 0, 1, []
        chosen = keys[page.start_index() - 1 : page.end_index()].values("pk")
        rows = FirstReviewRecord.objects.filter(pk__in=chosen).order_by(*SUMMARY_ORDER).values(*SUMMARY_COLUMNS)
        return page.paginator.count, page.number, list(rows)

    count, shown, rows = cached_value(
        name=f"review-summary:{user.pk}:{call.pk}:{per_page}:{requested}", at=timezone.now(), build=build
    )
    paginator: Paginator = Paginator([], per_page)
    paginator.count = count  # read once above, with the rows; the page needs no object list of its own
    page = paginator.page(shown)
    page.object_list = rows
    return page


# --- 待办 (core.todos) ---------------------------------------------------------------------------------------------


def count_first_review_waiting(*, user: User, today: dt.date) -> Pending:
    """待初审: the queue's default view; overdue after the call's 资格初审截止日期."""
    queue = _first_review_scope(user).filter(status=ApplicationStatus.SUBMITTED)
    return count_pending(queue, due="call__first_review_due", today=today)


def count_recheck_waiting(*, user: User) -> Pending:
    """待复核: applications in 资格复核 on which the user's body has not decided in this round."""
    decided = RecheckDecision.objects.filter(
        application=OuterRef("pk"), body=user.organisation_id, round=OuterRef("current_round")
    )
    queue = _recheck_scope(user).annotate(current_round=latest_version_sequence()).exclude(Exists(decided))
    return count_pending(queue)


def count_recheck_in_progress(*, user: User) -> Pending:
    """The city's applications in 资格复核 (the administrator follows them; the reviewers decide)."""
    return count_pending(_recheck_scope(user))
