"""Figures about applications for the leadership's statistics (core.leadership): counts only, never rows.

Each function is one aggregated query (GROUP BY in the database), so a page costs the same at one application and
at a province's worth. The calls passed in are already scoped to the reader's city by the caller; drafts are the
unit's own business and are never counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, TextField, Value
from django.db.models.functions import NullIf, Trim
from django.utils.translation import gettext_lazy as _
from django_fsm_log.models import StateLog

from .models import Application
from .workflow import ApplicationStatus

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from shenbao.calls.models import Call

S = ApplicationStatus


@dataclass(frozen=True)
class Dimension:
    """What applications are grouped by: the grouping column, the column naming each group, the order."""

    key: str
    title: str | Promise
    group: str
    label: str
    order: tuple[str, ...]


# 所属行业 is a free-text field of the unit profile section of both registered forms (`sections/`), copied into the
# application's indexed `industry` column by every writer of the form (`search_columns`), so the applications are
# grouped by the text as entered; an empty answer is its own group.
INDUSTRY = NullIf(Trim("industry"), Value(""), output_field=TextField())

STATISTICS_DIMENSIONS = {
    dimension.key: dimension
    for dimension in (
        Dimension("year", _("年度"), "call__year", "call__year", ("call__year",)),
        Dimension("call", _("申报通知"), "call", "call__title", ("-call__year", "call__title")),
        Dimension(
            "county",
            _("县（市、区）"),
            "unit__region",
            "unit__region__name",
            ("unit__region__sort_order", "unit__region__key"),
        ),
        Dimension(
            "department",
            _("初审单位"),
            "first_review_body",
            "first_review_body__name",
            ("first_review_body__name",),
        ),
        Dimension(
            "project_type",
            _("项目类别"),
            "project_type__code",
            "project_type__name",
            ("project_type__sort_order", "project_type__code"),
        ),
        Dimension(
            "unit_type",
            _("单位类型"),
            "unit__unit_type",
            "unit__unit_type__name",
            ("unit__unit_type__sort_order", "unit__unit_type__code"),
        ),
        Dimension("industry", _("所属行业"), "industry_text", "industry_text", ("industry_text",)),
        Dimension("state", _("状态"), "status", "status", ("status",)),
    )
}


def _submitted(calls: Iterable[Call] | Any) -> Any:
    return Application.objects.filter(call__in=calls).exclude(status=S.DRAFT)


def count_applications_by(*, calls: Iterable[Call] | Any, dimension: str) -> list[tuple[Any, str, int]]:
    """[(group key, group label, number)] of the submitted applications of `calls` grouped by `dimension` (a key
    of STATISTICS_DIMENSIONS), in the dimension's order; one query. A group without a label (no county, no
    industry) has label ""; the state dimension gives the state's value as label, which the page words through the
    workflow."""
    spec = STATISTICS_DIMENSIONS[dimension]
    rows = _submitted(calls)
    if dimension == "industry":
        rows = rows.annotate(industry_text=INDUSTRY)
    # The order columns depend on the group's key, so ordering by them does not split a group.
    grouped = rows.order_by().values(spec.group, spec.label).annotate(number=Count("*")).order_by(*spec.order)
    return [
        (row[spec.group], "" if row[spec.label] is None else str(row[spec.label]), row["number"]) for row in grouped
    ]


# The funnel from submission to award: each step counts the applications that ever entered one of these states
# (django-fsm-log's StateLog, written by every transition of the application's machine), so an application that
# later stopped (returned, rejected, not selected) still counts for the steps it passed.
FUNNEL = (
    ("submitted", _("提交申报"), (S.SUBMITTED,)),
    ("first_review", _("通过资格初审"), (S.RECHECK,)),
    ("recheck", _("通过资格复核"), (S.EXPERT_REVIEW,)),
    ("scored", _("完成专家评审"), (S.SOLICITING, S.NOT_SELECTED)),
    ("proposed", _("列入拟授牌名单"), (S.SOLICITING,)),
    ("notice", _("进入公示"), (S.IN_NOTICE,)),
    ("awarded", _("授牌"), (S.AWARDED,)),
)


def count_application_funnel(*, calls: Iterable[Call] | Any) -> list[tuple[str, str, int]]:
    """[(step key, label, number)] of FUNNEL for the applications of `calls`: one query over the StateLog.

    「完成专家评审」 counts what left 专家评审 for the ranking's outcome (proposed or not selected from that state)."""
    applications = Application.objects.filter(call__in=calls).values("pk")
    # The content type by its natural key in the same query (no separate look-up to count).
    logs = StateLog.objects.filter(
        content_type__app_label=Application._meta.app_label,
        content_type__model=Application._meta.model_name,
        object_id__in=applications,
    )
    figures = {}
    for key, _label, states in FUNNEL:
        condition = Q(state__in=states)
        if key == "scored":
            condition &= Q(source_state=S.EXPERT_REVIEW)
        figures[key] = Count("object_id", filter=condition, distinct=True)
    totals = logs.aggregate(**figures)
    return [(key, str(label), totals[key]) for key, label, _states in FUNNEL]
