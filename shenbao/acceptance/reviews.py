"""Writes of 评估验收 by the city and its experts (notice 五; DOMAIN.md §7): the administrator assigns experts of the
city's pool (the experts app's 回避 rules) or withdraws an unsubmitted assignment, and each expert scores the
acceptance rubric and submits (which locks the sheet). The unit's self-evaluation is in `evaluations`.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shenbao.accounts.selectors import filter_users
from shenbao.audit.services import record_event
from shenbao.core.revisions import check_revision
from shenbao.experts.selectors import list_conflict_free_experts
from shenbao.notifications.services import in_working_language

from .evaluations import acceptance_rubric, clean_scores, evaluation_url, lock_evaluation
from .models import AcceptanceEvaluation, ExpertReview, ReviewScore
from .notify import describe, notify_audiences, notify_users

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from shenbao.accounts.models import User


class ReviewCounts(TypedDict):
    """Annotated on evaluations: how many experts are assigned (not removed) and how many have submitted."""

    review_count: int
    submitted_count: int


def with_review_counts(
    evaluations: QuerySet[AcceptanceEvaluation],
) -> QuerySet[WithAnnotations[AcceptanceEvaluation, ReviewCounts]]:
    """The evaluations with how many experts are assigned (not removed) and how many have submitted: the lists'
    columns and the 待办's "needs experts" and "ready for a result"."""
    active = Q(reviews__removed_at__isnull=True)
    return evaluations.annotate(
        review_count=Count("reviews", filter=active, distinct=True),
        submitted_count=Count("reviews", filter=active & Q(reviews__submitted_at__isnull=False), distinct=True),
    )


def review_url(review: ExpertReview) -> str:
    return reverse("acceptance:review_sheet", kwargs={"public_id": review.public_id})


# --- The administrator assigns experts ----------------------------------------------------------------------------


def eligible_experts_q(evaluation: AcceptanceEvaluation) -> Q:
    """Q on User: who may score `evaluation` — the experts app's rules (`experts.selectors.
    list_conflict_free_experts`: in the call's city's pool, 在库, not of the unit, no declared relation with it),
    and not already on this evaluation."""
    application = evaluation.application
    eligible = list_conflict_free_experts(city=application.call.city_id, unit=application.unit)
    assigned = ExpertReview.objects.filter(evaluation=evaluation, removed_at__isnull=True).values("expert")
    return Q(pk__in=eligible) & ~Q(pk__in=assigned)


def count_assigned_experts(*, evaluation: AcceptanceEvaluation) -> tuple[int, int]:
    """(assigned, needed): the experts on `evaluation` now (not withdrawn) and the call file's number for 评估验收;
    fewer than needed cannot give a result (`results.compute_result`)."""
    assigned = ExpertReview.objects.filter(evaluation=evaluation, removed_at__isnull=True).count()
    return assigned, evaluation.application.call.acceptance_experts_per_application


def assign_experts(
    *,
    evaluation: AcceptanceEvaluation,
    experts: Sequence[User],
    actor: User,
    at: datetime.datetime | None = None,
    request: HttpRequest | None = None,
) -> list[ExpertReview]:
    """Assign each of `experts` (Users) a score sheet on `evaluation`; returns the new sheets."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = lock_evaluation(evaluation)
        if not rules.has_perm("acceptance.manage_evaluation", actor, locked):
            raise PermissionDenied(_("您无权为该评估验收指派专家。"))
        chosen = [expert.pk for expert in experts]
        if not chosen:
            raise ValidationError(_("请选择至少一名专家。"), code="no_experts")
        eligible = set(filter_users(query=eligible_experts_q(locked) & Q(pk__in=chosen)).values_list("pk", flat=True))
        refused = [expert for expert in experts if expert.pk not in eligible]
        if refused:
            names = "、".join(str(expert) for expert in refused)
            raise ValidationError(
                _(
                    "%(names)s不能担任该单位的验收专家（须为本市专家库在库专家，"
                    "不得来自被验收单位或与其存在利害关系，且未重复指派）。"
                )
                % {"names": names},
                code="not_eligible",
            )
        reviews = [
            ExpertReview.objects.create(evaluation=locked, expert=expert, assigned_by=actor, assigned_at=at)
            for expert in experts
        ]
        application = locked.application
        record_event(
            event="acceptance:assign_experts",
            actor=actor,
            target=locked,
            request=request,
            details={"round": locked.round, "experts": [str(expert.public_id) for expert in experts]},
        )
        with in_working_language():
            title = _("评估验收评分任务：%(unit)s") % {"unit": application.unit.name}
            body = _("您被指派为%(application)s第%(round)s轮评估验收的评分专家，请按验收评分表评分并提交。") % {
                "application": describe(application),
                "round": locked.round,
            }
        for review in reviews:
            notify_users(
                users=[review.expert],
                application=application,
                event="acceptance:assign_expert",
                title=title,
                body=body,
                url=review_url(review),
                at=at,
            )
    return reviews


def remove_expert(
    *,
    review: ExpertReview,
    actor: User,
    reason: str,
    at: datetime.datetime | None = None,
    request: HttpRequest | None = None,
) -> ExpertReview:
    """Withdraw an assignment whose sheet is not submitted yet (e.g. the expert is unavailable), with a reason."""
    at = at or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写撤回指派的理由。"), code="reason_required")
    with transaction.atomic():
        locked = ExpertReview.objects.select_for_update(of=("self",)).select_related("expert").get(pk=review.pk)
        evaluation = lock_evaluation(locked.evaluation)
        if not rules.has_perm("acceptance.manage_evaluation", actor, evaluation):
            raise PermissionDenied(_("您无权调整该评估验收的专家。"))
        if locked.removed_at is not None or locked.submitted_at is not None:
            raise ValidationError(_("该专家已提交评分或已撤回指派，不能再撤回。"), code="state_changed")
        locked.removed_at, locked.removed_by = at, actor
        locked.save(update_fields=["removed_at", "removed_by"])
        record_event(
            event="acceptance:remove_expert",
            actor=actor,
            target=evaluation,
            request=request,
            details={"expert": str(locked.expert.public_id), "reason": reason},
        )
    return locked


# --- The experts score (验收评分表) -------------------------------------------------------------------------------


def _lock_review(review: ExpertReview) -> ExpertReview:
    return (
        ExpertReview.objects.select_related("evaluation", "evaluation__application__project_type")
        .select_for_update(of=("self",))
        .get(pk=review.pk)
    )


def _write_scores(review: ExpertReview, cleaned: Mapping[int, Decimal]) -> None:
    ReviewScore.objects.filter(review=review).exclude(rubric_item__in=list(cleaned)).delete()
    for item_pk, points in cleaned.items():
        ReviewScore.objects.update_or_create(review=review, rubric_item_id=item_pk, defaults={"points": points})


def save_review(
    *,
    review: ExpertReview,
    user: User,
    scores: Mapping[int, object] | None,
    opinion: str,
    expected_revision: int | str | None,
    request: HttpRequest | None = None,
) -> ExpertReview:
    """Save the expert's draft sheet (partial scores allowed)."""
    with transaction.atomic():
        locked = _lock_review(review)
        if not rules.has_perm("acceptance.score_review", user, locked):
            raise PermissionDenied(_("该评分表当前不能修改。"))
        check_revision(current=locked.revision, expected=expected_revision, what=gettext_lazy("评分表"))
        project_type = locked.evaluation.application.project_type
        cleaned = clean_scores(
            items=acceptance_rubric(project_type), scores=scores, step=project_type.score_step, partial=True
        )
        _write_scores(locked, cleaned)
        locked.opinion = (opinion or "").strip()
        locked.revision += 1
        locked.save(update_fields=["opinion", "revision"])
        record_event(
            event="acceptance:save_review",
            actor=user,
            target=locked.evaluation,
            request=request,
            details={"review": str(locked.public_id), "revision": locked.revision},
        )
    return locked


def submit_review(
    *,
    review: ExpertReview,
    user: User,
    scores: Mapping[int, object] | None,
    opinion: str,
    at: datetime.datetime | None = None,
    request: HttpRequest | None = None,
) -> ExpertReview:
    """Submit (and lock) the expert's sheet: every item scored within its points and the call's step."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = _lock_review(review)
        if locked.submitted_at is not None:
            raise ValidationError(_("该评分表已提交，不能重复提交。"), code="state_changed")
        if not rules.has_perm("acceptance.score_review", user, locked):
            raise PermissionDenied(_("该评分表当前不能提交。"))
        project_type = locked.evaluation.application.project_type
        cleaned = clean_scores(
            items=acceptance_rubric(project_type), scores=scores, step=project_type.score_step, partial=False
        )
        _write_scores(locked, cleaned)
        locked.opinion = (opinion or "").strip()
        locked.total = sum(cleaned.values(), Decimal("0"))
        locked.submitted_at = at
        locked.revision += 1
        locked.save(update_fields=["opinion", "total", "submitted_at", "revision"])
        evaluation = locked.evaluation
        record_event(
            event="acceptance:submit_review",
            actor=user,
            target=evaluation,
            request=request,
            details={"review": str(locked.public_id), "total": str(locked.total), "round": evaluation.round},
        )
        pending = ExpertReview.objects.filter(
            evaluation=evaluation, removed_at__isnull=True, submitted_at__isnull=True
        ).exists()
        if not pending:
            application = evaluation.application
            with in_working_language():
                title = _("验收评分已全部提交：%(number)s") % {"number": application.number}
                body = _("%(application)s第%(round)s轮评估验收的专家评分已全部提交，可确认验收结论。") % {
                    "application": describe(application),
                    "round": evaluation.round,
                }
            notify_audiences(
                application=application,
                audiences=("call_admin",),
                actor=user,
                event="acceptance:reviews_complete",
                title=title,
                body=body,
                url=evaluation_url(evaluation),
                at=at,
            )
    return locked
