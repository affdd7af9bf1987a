"""The result of an acceptance evaluation (验收结论) and what follows from it (notice 五; DOMAIN.md §7).

`decide_evaluation`: the experts' totals and each item's points are aggregated with the call's method
(`shenbao.calls.aggregation.rule_of`, the call's rule), the band comes from `bands.acceptance_band`, and then
- a pass makes the 60% due (`shenbao.funding.services.release_instalments`, trigger `acceptance_passed`);
- a first failure opens the rectification period (ProjectType.rectification_months) and allows one re-evaluation;
- a failed re-evaluation revokes the designation: the workflow's `revoke` step (`fire_transition`) and
  `shenbao.funding.services.cancel_outstanding_instalments`, so the 60% is never due.
These are the effects of `workflow.EVALUATION`'s `decide` step, fired through `core.transitions.fire`: one
transaction under the evaluation's row lock; the consequences run after the decided state is saved (the `revoke`
guard reads it). `close_missed_rectification` records a re-evaluation that never happened (整改期满未提交整改报告)
as failed through the `close_missed` step, with the same consequences.
"""

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from shenbao.applications.services import fire_transition
from shenbao.calls.aggregation import rule_of
from shenbao.calls.models import Instalment, RubricItem
from shenbao.core.days import format_day
from shenbao.core.transitions import fire, lock
from shenbao.funding.services import cancel_outstanding_instalments, release_instalments

from . import bands, periods
from .evaluations import E, acceptance_rubric, lock_evaluation
from .guards import LAST_ROUND
from .models import AcceptanceEvaluation, ExpertReview, ItemResult, Rectification
from .rules import city_admin_of_designated
from .workflow import EVALUATION, RECTIFICATION


def compute_result(*, evaluation, reviews=None):
    """The aggregated total, the per-item results and the band of `evaluation` from its submitted sheets.

    Returns (total, [(rubric item, points, below_minimum)], band); ValidationError when sheets are missing.
    """
    application = evaluation.application
    if reviews is None:
        reviews = list(
            ExpertReview.objects.filter(evaluation=evaluation, removed_at__isnull=True).prefetch_related("scores")
        )
    pending = [review for review in reviews if review.submitted_at is None]
    if pending:
        raise ValidationError(_("还有%(count)s名专家未提交评分。") % {"count": len(pending)}, code="reviews_pending")
    needed = application.call.acceptance_experts_per_application
    if len(reviews) < needed:
        raise ValidationError(
            _("已提交评分的专家为%(count)s名，本次通知要求每项评审专家不少于%(needed)s名。")
            % {"count": len(reviews), "needed": needed},
            code="too_few_experts",
        )
    rule = rule_of(application.call)
    project_type = application.project_type
    share = bands.main_item_ratio_of(project_type)
    total = rule.aggregate([review.total for review in reviews])
    items = []
    for item in acceptance_rubric(project_type):
        points = rule.aggregate(
            [score.points for review in reviews for score in review.scores.all() if score.rubric_item_id == item.pk]
        )
        score = bands.ItemScore(points=points, max_points=item.max_points, is_main=item.group == RubricItem.Group.MAIN)
        items.append((item, points, bands.is_below_minimum(score, share=share)))
    band = bands.acceptance_band(
        total=total,
        items=[
            bands.ItemScore(points, item.max_points, item.group == RubricItem.Group.MAIN) for item, points, _ in items
        ],
        rules=bands.rules_of(project_type),
        share=share,
    )
    return total, items, band


def _revoke(*, evaluation: AcceptanceEvaluation, actor: Any, conclusion: str, at: datetime.datetime) -> None:
    application = evaluation.application
    reason = _("第%(round)s轮评估验收不合格，撤销命名：%(conclusion)s") % {
        "round": evaluation.round,
        "conclusion": conclusion,
    }
    fire_transition(application=application, name="revoke", actor=actor, comment=conclusion, at=at)
    cancel_outstanding_instalments(application=application, reason=reason, actor=actor, at=at)


# --- Effects of the `decide` and `close_missed` steps (workflow.EVALUATION), in the order they run -------------


def record_result(
    *, evaluation: AcceptanceEvaluation, actor: Any, payload: Mapping[str, Any], at: datetime.datetime
) -> None:
    """The aggregated total, each item's result and the band, from the submitted sheets."""
    total, items, band = compute_result(evaluation=evaluation)
    ItemResult.objects.bulk_create(
        ItemResult(
            evaluation=evaluation,
            rubric_item=item,
            points=points,
            max_points=item.max_points,
            is_main=item.group == RubricItem.Group.MAIN,
            below_minimum=below,
        )
        for item, points, below in items
    )
    evaluation.total, evaluation.band = total, band


def record_decision(
    *, evaluation: AcceptanceEvaluation, actor: Any, payload: Mapping[str, Any], at: datetime.datetime
) -> None:
    evaluation.decided_on, evaluation.decided_by, evaluation.decided_at = payload["decided_on"], actor, at
    evaluation.conclusion = payload["conclusion"]


def follow_up_result(
    *, evaluation: AcceptanceEvaluation, actor: Any, payload: Mapping[str, Any], at: datetime.datetime
) -> None:
    """After the decided state is saved: release the 60%, open the rectification period, or revoke."""
    application = evaluation.application
    if evaluation.passed:
        release_instalments(
            application=application,
            trigger=Instalment.Trigger.ACCEPTANCE_PASSED,
            on=evaluation.decided_on,
            actor=actor,
        )
    elif evaluation.round < LAST_ROUND:
        due_on = periods.rectification_due_on(application.project_type, evaluation.decided_on)
        Rectification.objects.create(evaluation=evaluation, application=application, due_on=due_on)
    else:
        _revoke(evaluation=evaluation, actor=actor, conclusion=evaluation.conclusion, at=at)


def missed_rectification_round(
    *, evaluation: AcceptanceEvaluation, actor: Any, payload: Mapping[str, Any], at: datetime.datetime
) -> list[str]:
    """Guard of `close_missed`: only the round opened for a lapsed rectification period is closed this way."""
    return [] if evaluation.rectification_missed else [_("只有逾期未整改的复评才能按逾期处理。")]


def _check_decision_inputs(*, decided_on: datetime.date | None, conclusion: str, at: datetime.datetime) -> None:
    if decided_on is None:
        raise ValidationError(_("请填写结论日期。"), code="decided_on_required")
    if decided_on > periods.beijing_today(at):
        raise ValidationError(_("结论日期不能晚于今天。"), code="decided_on_future")
    if not conclusion:
        raise ValidationError(_("请填写验收结论意见（将告知被验收单位）。"), code="conclusion_required")


def decide_evaluation(
    *,
    evaluation: AcceptanceEvaluation,
    actor: Any,
    decided_on: datetime.date | None,
    conclusion: str,
    at: datetime.datetime | None = None,
    request: HttpRequest | None = None,
) -> AcceptanceEvaluation:
    """Record the result of `evaluation` from the submitted sheets and act on it (see the module docstring)."""
    at = at or timezone.now()
    conclusion = (conclusion or "").strip()
    _check_decision_inputs(decided_on=decided_on, conclusion=conclusion, at=at)
    return fire(
        machine=EVALUATION,
        obj=evaluation,
        name="decide",
        actor=actor,
        payload={"decided_on": decided_on, "conclusion": conclusion},
        at=at,
        request=request,
    )


def close_missed_rectification(
    *,
    rectification: Rectification,
    actor: Any,
    decided_on: datetime.date | None,
    conclusion: str,
    at: datetime.datetime | None = None,
    request: HttpRequest | None = None,
) -> AcceptanceEvaluation:
    """整改期满未提交整改报告: the re-evaluation is recorded as failed without scores, and the designation revoked."""
    at = at or timezone.now()
    conclusion = (conclusion or "").strip()
    _check_decision_inputs(decided_on=decided_on, conclusion=conclusion, at=at)
    with transaction.atomic():
        locked = lock(machine=RECTIFICATION, obj=rectification)
        failed = lock_evaluation(locked.evaluation)
        application = failed.application
        if (
            RECTIFICATION.state(locked.status).final
            or E.objects.filter(application=application, round__gt=failed.round).exists()
        ):
            raise ValidationError(_("状态已变化：整改报告已提交或已处理。请刷新页面。"), code="state_changed")
        if periods.beijing_today(at) <= locked.due_on:
            raise ValidationError(
                _("整改期至%(due)s届满，届满前不能按逾期处理。") % {"due": format_day(locked.due_on)},
                code="not_overdue",
            )
        if not city_admin_of_designated(actor, failed):
            raise PermissionDenied(_("您无权处理该单位的整改。"))
        evaluation = E.objects.create(
            application=application,
            round=failed.round + 1,
            created_by=actor,
            band=E.Band.FAILED,
            rectification_missed=True,
        )
        return fire(
            machine=EVALUATION,
            obj=evaluation,
            name="close_missed",
            actor=actor,
            payload={"decided_on": decided_on, "conclusion": conclusion, "due_on": locked.due_on},
            at=at,
            request=request,
        )
