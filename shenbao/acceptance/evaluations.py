"""Writes of 评估验收 (notice 五; DOMAIN.md §7) by the unit: it applies with its self-evaluation (自评), scored on the
acceptance rubric. The experts' assignment and score sheets are in `reviews`, the result and its consequences in
`results`; the rubric, score cleaning and evaluation lock here are shared with both.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shenbao.applications.models import Application
from shenbao.applications.rules import applicant_of_unit
from shenbao.applications.selectors import lock_application
from shenbao.applications.workflow import ApplicationStatus
from shenbao.audit.services import record_event
from shenbao.calls.models import RubricItem
from shenbao.calls.periods import construction_years
from shenbao.calls.selectors import list_rubric_items
from shenbao.core.days import format_day
from shenbao.core.revisions import check_revision
from shenbao.core.transitions import fire, lock

from . import periods
from .guards import LAST_ROUND
from .models import (
    AcceptanceEvaluation,
    EvidenceFile,
    ProgressReport,
    Rectification,
    SelfScore,
)
from .workflow import EVALUATION, RECTIFICATION

if TYPE_CHECKING:
    from shenbao.accounts.models import User
    from shenbao.calls.models import ProjectType

E = AcceptanceEvaluation


def evaluation_url(evaluation: AcceptanceEvaluation) -> str:
    return reverse("acceptance:evaluation_detail", kwargs={"public_id": evaluation.public_id})


def acceptance_rubric(project_type: ProjectType) -> list[RubricItem]:
    return list(list_rubric_items(project_type=project_type, rubric=RubricItem.Rubric.ACCEPTANCE))


def clean_points(*, item: RubricItem, value: object, step: Decimal | None) -> Decimal:
    """`value` as Decimal points for `item`: between 0 and the item's points, a multiple of the call's step."""
    if value in (None, ""):
        raise ValidationError(_("请为“%(name)s”打分。") % {"name": item.name}, code="points_required")
    try:
        points = Decimal(str(value).strip())
    except ArithmeticError:
        raise ValidationError(_("“%(name)s”的得分须为数字。") % {"name": item.name}, code="points") from None
    if not points.is_finite() or points < 0 or points > item.max_points:
        raise ValidationError(
            _("“%(name)s”的得分须在0至%(max_points)s分之间。")
            % {"name": item.name, "max_points": format(item.max_points.normalize(), "f")},
            code="points_range",
        )
    if step and points % step != 0:
        raise ValidationError(
            _("“%(name)s”的得分须为%(step)s分的整数倍。") % {"name": item.name, "step": format(step.normalize(), "f")},
            code="points_step",
        )
    return points.quantize(Decimal("0.01"))


def clean_scores(
    *, items: Iterable[RubricItem], scores: Mapping[int, object] | None, step: Decimal | None, partial: bool
) -> dict[int, Decimal]:
    """{rubric item pk: Decimal} for the given raw {pk: value}; with `partial`, unscored items are skipped."""
    cleaned: dict[int, Decimal] = {}
    errors: list[str] = []
    for item in items:
        raw = (scores or {}).get(item.pk)
        if partial and raw in (None, ""):
            continue
        try:
            cleaned[item.pk] = clean_points(item=item, value=raw, step=step)
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors, code="scores")
    return cleaned


def lock_evaluation(evaluation: AcceptanceEvaluation) -> AcceptanceEvaluation:
    return lock(machine=EVALUATION, obj=evaluation)


# --- The unit applies (申请验收 with 自评) ------------------------------------------------------------------------


def period_and_report_blockers(application: Application, at: datetime.datetime | None) -> list[str]:
    """The construction period has ended and every year's progress report was accepted by the city."""
    project_type = application.project_type
    reasons = []
    if periods.beijing_today(at) < periods.acceptance_opens_on(project_type):
        reasons.append(
            _("建设期至%(construction_end)s届满，届满后方可申请评估验收。")
            % {"construction_end": format_day(project_type.construction_end)}
        )
    accepted = set(
        ProgressReport.objects.filter(application=application, status=ProgressReport.Status.ACCEPTED).values_list(
            "year", flat=True
        )
    )
    reasons += [
        _("%(year)s年度建设进展报告尚未审核通过。") % {"year": year}
        for year in construction_years(project_type)
        if year not in accepted
    ]
    return reasons


def acceptance_blockers(
    *, application: Application, at: datetime.datetime | None = None
) -> tuple[list[str], int | None]:
    """(Chinese reasons `application` may not open an acceptance round now, the round it would open)."""
    if application.status != ApplicationStatus.AWARDED:
        return [_("该项目未授牌或已撤销命名。")], None
    last = E.objects.filter(application=application).order_by("-round").first()
    if last is None:
        return period_and_report_blockers(application, at), 1
    if not EVALUATION.state(last.status).final:
        return [_("已有进行中的评估验收。")], None
    if last.passed:
        return [_("该项目已通过评估验收。")], None
    if last.round >= LAST_ROUND:
        return [_("复评已结束。")], None
    reasons = period_and_report_blockers(application, at)
    rectification = Rectification.objects.filter(evaluation=last).first()
    if rectification is None or not RECTIFICATION.state(rectification.status).final:
        reasons.append(_("请先提交整改报告，再申请复评。"))
    return reasons, last.round + 1


def start_evaluation(
    *,
    application: Application,
    user: User,
    at: datetime.datetime | None = None,
    request: HttpRequest | None = None,
) -> AcceptanceEvaluation:
    """Open the next acceptance round (1, or 2 after rectification) as a draft self-evaluation; idempotent."""
    with transaction.atomic():
        locked = lock_application(application=application)
        if not applicant_of_unit(user, locked):
            raise PermissionDenied(_("只有本单位经办人可以申请评估验收。"))
        open_round = E.objects.filter(application=locked, status=E.Status.DRAFT).first()
        if open_round is not None:
            return open_round
        reasons, round_number = acceptance_blockers(application=locked, at=at)
        if reasons or round_number is None:  # no next round comes with its reasons
            raise ValidationError(reasons, code="not_allowed")
        try:
            with transaction.atomic():
                evaluation = E.objects.create(application=locked, round=round_number, created_by=user)
        except IntegrityError:
            return E.objects.get(application=locked, round=round_number)
        record_event(
            event="acceptance:start_evaluation",
            actor=user,
            target=evaluation,
            request=request,
            details={"number": locked.number, "round": round_number},
        )
    return evaluation


def save_self_evaluation(
    *,
    evaluation: AcceptanceEvaluation,
    user: User,
    summary: str,
    scores: Mapping[int, object] | None,
    expected_revision: int | str | None,
    request: HttpRequest | None = None,
) -> AcceptanceEvaluation:
    """Save the draft self-evaluation: the report and the self score per rubric item ({item pk: value})."""
    with transaction.atomic():
        locked = lock_evaluation(evaluation)
        if not rules.has_perm("acceptance.edit_evaluation", user, locked):
            raise PermissionDenied(_("该评估验收申请当前不能修改。"))
        check_revision(current=locked.revision, expected=expected_revision, what=gettext_lazy("评估验收申请"))
        project_type = locked.application.project_type
        cleaned = clean_scores(
            items=acceptance_rubric(project_type), scores=scores, step=project_type.score_step, partial=True
        )
        SelfScore.objects.filter(evaluation=locked).exclude(rubric_item__in=list(cleaned)).delete()
        for item_pk, points in cleaned.items():
            SelfScore.objects.update_or_create(evaluation=locked, rubric_item_id=item_pk, defaults={"points": points})
        locked.summary = (summary or "").strip()
        locked.self_total = sum(cleaned.values(), Decimal("0")) if cleaned else None
        locked.revision += 1
        locked.save(update_fields=["summary", "self_total", "revision", "updated_at"])
        record_event(
            event="acceptance:save_self_evaluation",
            actor=user,
            target=locked,
            request=request,
            details={"round": locked.round, "self_total": str(locked.self_total or ""), "revision": locked.revision},
        )
    return locked


def evaluation_missing_items(evaluation: AcceptanceEvaluation) -> list[str]:
    items = acceptance_rubric(evaluation.application.project_type)
    scored = set(SelfScore.objects.filter(evaluation=evaluation).values_list("rubric_item", flat=True))
    missing = [_("请为“%(name)s”自评打分。") % {"name": item.name} for item in items if item.pk not in scored]
    if not evaluation.summary.strip():
        missing.append(_("请填写自评报告。"))
    if not EvidenceFile.objects.filter(evaluation=evaluation, is_current=True).exists():
        missing.append(_("请上传至少一份佐证材料。"))
    return missing


def submit_evaluation(
    *,
    evaluation: AcceptanceEvaluation,
    user: Any,
    at: datetime.datetime | None = None,
    request: HttpRequest | None = None,
) -> AcceptanceEvaluation:
    """申请评估验收 (`workflow.EVALUATION`): the self-evaluation is locked and the city assigns experts."""
    return fire(machine=EVALUATION, obj=evaluation, name="submit_evaluation", actor=user, at=at, request=request)
