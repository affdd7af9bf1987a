"""Figures about the construction period for the leadership's statistics (core.leadership): counts only.

Each function is one aggregated query; the calls passed in are already scoped to the reader's city by the caller.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count

from .models import AcceptanceEvaluation, ProgressReport


def count_progress_reports_by_year_and_status(*, calls: Iterable[Any] | Any) -> list[tuple[int, str, str, int]]:
    """[(report year, status, status label, number)] of the 建设进展报告 of the designated units of `calls`, drafts
    included (a draft is a report not yet filed); one query."""
    rows = (
        ProgressReport.objects.filter(application__call__in=calls)
        .order_by()
        .values("year", "status")
        .annotate(number=Count("*"))
        .order_by("year", "status")
    )
    labels = dict(ProgressReport.Status.choices)
    return [(row["year"], row["status"], str(labels[row["status"]]), row["number"]) for row in rows]


def count_evaluations_by_round_and_outcome(*, calls: Iterable[Any] | Any) -> list[tuple[int, str, str, int]]:
    """[(round, outcome key, outcome label, number)] of the 评估验收 of `calls`: a decided round by its band
    (优秀 … 不合格), an undecided one by its status (自评填报中, 专家评分中); one query."""
    rows = (
        AcceptanceEvaluation.objects.filter(application__call__in=calls)
        .order_by()
        .values("round", "status", "band")
        .annotate(number=Count("*"))
        .order_by("round", "status", "band")
    )
    statuses = dict(AcceptanceEvaluation.Status.choices)
    bands = dict(AcceptanceEvaluation.Band.choices)
    result = []
    for row in rows:
        decided = row["status"] == AcceptanceEvaluation.Status.DECIDED and row["band"]
        key = row["band"] if decided else row["status"]
        label = bands[row["band"]] if decided else statuses[row["status"]]
        result.append((row["round"], key, str(label), row["number"]))
    return result
