"""The guards, effects and audit details named in the acceptance machines (`workflow`).

Each is the machine's signature over the service that owns the logic (what a report or a self-evaluation still
lacks is in `services` / `evaluations`, the result and its consequences in `results`), so the tables read as data
and the logic stays in one place. The actors are in `rules.ACTORS`, the notify hook in `notify`.
"""

import datetime
from typing import Any

from django.utils.translation import gettext as _

from shenbao.core.days import format_day
from shenbao.core.transitions import Transition

from . import periods, results
from .evaluations import evaluation_missing_items, period_and_report_blockers
from .models import AcceptanceEvaluation, ItemResult, ProgressReport, Rectification
from .services import rectification_missing_items, report_missing_items

# --- Progress reports -------------------------------------------------------------------------------------------


def report_complete(*, report: ProgressReport, actor: Any, payload: Any, at: datetime.datetime) -> list[Any]:
    return report_missing_items(report)


def record_report_submission(*, report: ProgressReport, actor: Any, payload: Any, at: datetime.datetime) -> None:
    report.submitted_by, report.submitted_at = actor, at


def record_report_review(*, report: ProgressReport, actor: Any, payload: Any, at: datetime.datetime) -> None:
    # The comment is kept on the report: the unit reads it on its edit page when the report is returned.
    report.reviewed_by, report.reviewed_at, report.review_comment = actor, at, payload["comment"]


def is_overdue(report: ProgressReport, at: datetime.datetime) -> bool:
    return periods.beijing_today(at) > report.due_on


def report_details(report: ProgressReport, *, step: Transition, at: datetime.datetime) -> dict[str, Any]:
    details: dict[str, Any] = {"year": report.year}
    if step.name == "submit_report":  # a late report is accepted and marked
        details |= {"due_on": report.due_on.isoformat(), "overdue": is_overdue(report, at)}
    return details


# --- Acceptance evaluations -------------------------------------------------------------------------------------


def construction_period_done(
    *, evaluation: AcceptanceEvaluation, actor: Any, payload: Any, at: datetime.datetime
) -> list[Any]:
    return period_and_report_blockers(evaluation.application, at)


def self_evaluation_complete(
    *, evaluation: AcceptanceEvaluation, actor: Any, payload: Any, at: datetime.datetime
) -> list[Any]:
    return evaluation_missing_items(evaluation)


def record_evaluation_submission(
    *, evaluation: AcceptanceEvaluation, actor: Any, payload: Any, at: datetime.datetime
) -> None:
    evaluation.submitted_by, evaluation.submitted_at = actor, at


def evaluation_details(evaluation: AcceptanceEvaluation, *, step: Transition, at: datetime.datetime) -> dict[str, Any]:
    details: dict[str, Any] = {"number": evaluation.application.number, "round": evaluation.round}
    if step.name == "submit_evaluation":
        return details | {"self_total": str(evaluation.self_total)}
    details |= {
        "total": str(evaluation.total) if evaluation.total is not None else "",
        "band": str(evaluation.get_band_display()),
    }
    if evaluation.rectification_missed:
        return details | {"rectification_missed": True}
    items = ItemResult.objects.filter(evaluation=evaluation).select_related("rubric_item")
    return details | {"items": {item.rubric_item.code: str(item.points) for item in items}}


# --- Rectification ----------------------------------------------------------------------------------------------


def rectification_in_time(
    *, rectification: Rectification, actor: Any, payload: Any, at: datetime.datetime
) -> list[Any]:
    if periods.beijing_today(at) <= rectification.due_on:
        return []
    return [_("整改期已于%(due)s届满，不能再提交整改报告。") % {"due": format_day(rectification.due_on)}]


def rectification_complete(
    *, rectification: Rectification, actor: Any, payload: Any, at: datetime.datetime
) -> list[Any]:
    return rectification_missing_items(rectification)


def record_rectification_submission(
    *, rectification: Rectification, actor: Any, payload: Any, at: datetime.datetime
) -> None:
    rectification.submitted_by, rectification.submitted_at = actor, at


def rectification_details(rectification: Rectification, *, step: Transition, at: datetime.datetime) -> dict[str, Any]:
    return {"due_on": rectification.due_on.isoformat()}


GUARDS = {
    "report_complete": report_complete,
    "construction_period_done": construction_period_done,
    "self_evaluation_complete": self_evaluation_complete,
    "missed_rectification_round": results.missed_rectification_round,
    "rectification_in_time": rectification_in_time,
    "rectification_complete": rectification_complete,
}
EFFECTS = {
    "record_report_submission": record_report_submission,
    "record_report_review": record_report_review,
    "record_evaluation_submission": record_evaluation_submission,
    "record_result": results.record_result,
    "record_decision": results.record_decision,
    "follow_up_result": results.follow_up_result,
    "record_rectification_submission": record_rectification_submission,
}
