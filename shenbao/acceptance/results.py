"""The result of an acceptance evaluation (验收结论) and what follows from it (notice 五; DOMAIN.md §7).

`decide_evaluation`: the experts' totals and each item's points are aggregated with the call's method
(`shenbao.scoring.aggregation.rule_of`, the call's rule), the band comes from `bands.acceptance_band`, and then
- a pass makes the 60% due (`shenbao.funding.services.release_instalments`, trigger `acceptance_passed`);
- a first failure opens the rectification period (ProjectType.rectification_months) and allows one re-evaluation;
- a failed re-evaluation revokes the designation: the workflow's `revoke` step (`fire_transition`) and
  `shenbao.funding.services.cancel_outstanding_instalments`, so the 60% is never due.
All of it in one transaction, under the evaluation's row lock. `close_missed_rectification` records a
re-evaluation that never happened (整改期满未提交整改报告) as failed, with the same consequences.
"""

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from shenbao.applications.guards import format_day
from shenbao.applications.rules import call_admin
from shenbao.applications.services import fire_transition
from shenbao.applications.workflow import ApplicationStatus
from shenbao.audit.services import record_event
from shenbao.calls.models import Instalment, RubricItem
from shenbao.funding.services import cancel_outstanding_instalments, release_instalments
from shenbao.scoring.aggregation import rule_of

from . import bands, periods
from .evaluations import E, acceptance_rubric, evaluation_url, lock_evaluation
from .guards import LAST_ROUND
from .models import ExpertReview, ItemResult, Rectification
from .notify import describe, notify_audiences


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
        raise ValidationError(
            gettext("还有%(count)s名专家未提交评分。") % {"count": len(pending)}, code="reviews_pending"
        )
    needed = application.call.acceptance_experts_per_application
    if len(reviews) < needed:
        raise ValidationError(
            gettext("已提交评分的专家为%(count)s名，本次通知要求每项评审专家不少于%(needed)s名。")
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


def _revoke(*, evaluation, actor, conclusion, at, request):
    application = evaluation.application
    reason = f"第{evaluation.round}轮评估验收不合格，撤销命名：{conclusion}"
    fire_transition(application=application, name="revoke", actor=actor, comment=conclusion, at=at, request=request)
    cancel_outstanding_instalments(application=application, reason=reason, actor=actor, at=at)


def _record_decision(*, evaluation, actor, decided_on, conclusion, at, request, details):
    evaluation.decided_on, evaluation.decided_by, evaluation.decided_at = decided_on, actor, at
    evaluation.conclusion = conclusion
    evaluation.status = E.Status.DECIDED
    evaluation.save()
    record_event(
        event="acceptance:decide",
        actor=actor,
        target=evaluation,
        request=request,
        changes={"验收等次": ["", str(evaluation.get_band_display())]},
        details={
            "number": evaluation.application.number,
            "round": evaluation.round,
            "decided_on": decided_on.isoformat(),
            "total": str(evaluation.total) if evaluation.total is not None else "",
            "conclusion": conclusion,
            **details,
        },
    )


def _follow_up(*, evaluation, actor, decided_on, conclusion, at, request):
    """Release the 60%, open the rectification period, or revoke; then tell the unit."""
    application = evaluation.application
    project_type = application.project_type
    band = evaluation.get_band_display()
    if evaluation.passed:
        release_instalments(
            application=application, trigger=Instalment.Trigger.ACCEPTANCE_PASSED, on=decided_on, actor=actor
        )
        body = f"{describe(application)}第{evaluation.round}轮评估验收结论为{band}（{evaluation.total}分），验收合格。"
    elif evaluation.round < LAST_ROUND:
        due_on = periods.rectification_due_on(project_type, decided_on)
        Rectification.objects.create(evaluation=evaluation, application=application, due_on=due_on)
        body = (
            f"{describe(application)}评估验收结论为不合格（{evaluation.total}分）：{conclusion}"
            f"请于{format_day(due_on)}前完成整改并提交整改报告，之后可申请复评一次。"
        )
    else:
        _revoke(evaluation=evaluation, actor=actor, conclusion=conclusion, at=at, request=request)
        body = f"{describe(application)}复评结论为不合格，已撤销命名：{conclusion}"
    notify_audiences(
        application=application,
        audiences=("applicant",),
        actor=actor,
        event="acceptance:decide",
        title=f"评估验收结论：{band}",
        body=body,
        url=evaluation_url(evaluation),
        at=at,
    )


def _check_decision_inputs(*, decided_on, conclusion, at):
    if decided_on is None:
        raise ValidationError(gettext("请填写结论日期。"), code="decided_on_required")
    if decided_on > periods.beijing_today(at):
        raise ValidationError(gettext("结论日期不能晚于今天。"), code="decided_on_future")
    if not conclusion:
        raise ValidationError(gettext("请填写验收结论意见（将告知被验收单位）。"), code="conclusion_required")


def decide_evaluation(*, evaluation, actor, decided_on, conclusion, at=None, request=None):
    """Record the result of `evaluation` from the submitted sheets and act on it (see the module docstring)."""
    at = at or timezone.now()
    conclusion = (conclusion or "").strip()
    _check_decision_inputs(decided_on=decided_on, conclusion=conclusion, at=at)
    with transaction.atomic():
        locked = lock_evaluation(evaluation)
        if locked.status != E.Status.SUBMITTED:
            raise ValidationError(
                gettext("状态已变化：该评估验收当前为「%(status_display)s」，不能再确认结论。请刷新页面。")
                % {"status_display": locked.get_status_display()},
                code="state_changed",
            )
        if not rules.has_perm("acceptance.manage_evaluation", actor, locked):
            raise PermissionDenied(gettext("您无权确认该评估验收的结论。"))
        total, items, band = compute_result(evaluation=locked)
        ItemResult.objects.bulk_create(
            ItemResult(
                evaluation=locked,
                rubric_item=item,
                points=points,
                max_points=item.max_points,
                is_main=item.group == RubricItem.Group.MAIN,
                below_minimum=below,
            )
            for item, points, below in items
        )
        locked.total, locked.band = total, band
        _record_decision(
            evaluation=locked,
            actor=actor,
            decided_on=decided_on,
            conclusion=conclusion,
            at=at,
            request=request,
            details={"items": {item.code: str(points) for item, points, _below in items}},
        )
        _follow_up(evaluation=locked, actor=actor, decided_on=decided_on, conclusion=conclusion, at=at, request=request)
    return locked


def close_missed_rectification(*, rectification, actor, decided_on, conclusion, at=None, request=None):
    """整改期满未提交整改报告: the re-evaluation is recorded as failed without scores, and the designation revoked."""
    at = at or timezone.now()
    conclusion = (conclusion or "").strip()
    _check_decision_inputs(decided_on=decided_on, conclusion=conclusion, at=at)
    with transaction.atomic():
        locked = Rectification.objects.select_for_update().get(pk=rectification.pk)
        failed = lock_evaluation(locked.evaluation)
        application = failed.application
        if (
            locked.status != Rectification.Status.DRAFT
            or E.objects.filter(application=application, round__gt=failed.round).exists()
        ):
            raise ValidationError(gettext("状态已变化：整改报告已提交或已处理。请刷新页面。"), code="state_changed")
        if periods.beijing_today(at) <= locked.due_on:
            raise ValidationError(
                gettext("整改期至%(due_on)s届满，届满前不能按逾期处理。") % {"due_on": format_day(locked.due_on)},
                code="not_overdue",
            )
        if application.status != ApplicationStatus.AWARDED or not call_admin(actor, application):
            raise PermissionDenied(gettext("您无权处理该单位的整改。"))
        evaluation = E.objects.create(
            application=application,
            round=failed.round + 1,
            created_by=actor,
            band=E.Band.FAILED,
            rectification_missed=True,
        )
        evaluation.application = application
        _record_decision(
            evaluation=evaluation,
            actor=actor,
            decided_on=decided_on,
            conclusion=conclusion,
            at=at,
            request=request,
            details={"rectification_missed": True, "due_on": locked.due_on.isoformat()},
        )
        _follow_up(
            evaluation=evaluation, actor=actor, decided_on=decided_on, conclusion=conclusion, at=at, request=request
        )
    return evaluation
