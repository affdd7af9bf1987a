"""资格初审 and 资格复核 decisions. Every state change goes through `applications.services.fire_transition`.

- `save_first_review_checklist`: the reviewer's working checklist for the version under review.
- `decide_first_review`: pass (checklist + 推荐意见), return for revision (reasons + due date) or reject (reason);
  keeps a `FirstReviewRecord` of every decision in the same transaction as the step.
- `batch_first_review`: the same decision for several applications, each in its own transaction, one result each.
- `record_recheck_decision`: one re-check body's decision; fires the step once the call's rule is met.
- `upload_first_review_seal` (`seals.py`): the body's sealed opinion, which a pass needs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypedDict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from shenbao.accounts.selectors import get_acting_organisation
from shenbao.applications.models import Application
from shenbao.applications.selectors import lock_application
from shenbao.applications.services import fire_transition
from shenbao.core.days import parse_due_date
from shenbao.core.http import error_messages
from shenbao.core.transitions import step_time

from .checklist import checklist_rows, clean_items, current_version_sequence
from .effects import add_first_review_record
from .guards import recheck_bodies_passed
from .models import Decision, FirstReviewChecklist, RecheckDecision
from .seals import upload_first_review_seal as upload_first_review_seal

if TYPE_CHECKING:
    from shenbao.accounts.models import User


FIRST_REVIEW_STEPS = {
    Decision.PASS: "first_review_pass",
    Decision.RETURN: "return_for_revision",
    Decision.REJECT: "first_review_reject",
}
RECHECK_STEPS = {Decision.RETURN: "recheck_return", Decision.REJECT: "recheck_reject"}
# A due date as a date, or as posted ("YYYY-MM-DD"); `parse_due_date` reads both.
type DueDate = dt.date | str | None


class BatchResult(TypedDict):
    """One application's outcome in `batch_first_review`."""

    application: Application
    ok: bool
    messages: list[str]


def _check_first_reviewer(user: User, application: Application) -> None:
    if not user.has_perm("review.first_review", application):
        raise PermissionDenied(_("您不是该申报的资格初审单位人员。"))


def save_first_review_checklist(
    *, application: Application, user: User, items: dict[str, Any] | None, recommendation: str = ""
) -> FirstReviewChecklist:
    """Keep the reviewer's judgements for the version under review (a later batch pass uses them)."""
    _check_first_reviewer(user, application)
    with transaction.atomic():
        locked = lock_application(application=application)
        checklist, _created = FirstReviewChecklist.objects.update_or_create(
            application=locked,
            version_sequence=current_version_sequence(locked),
            defaults={
                "items": clean_items(items),
                "recommendation": (recommendation or "").strip(),
                "updated_by": user,
            },
        )
    return checklist


def get_saved_checklist(*, application: Application) -> FirstReviewChecklist | None:
    """The working checklist of the version under review, or None."""
    return FirstReviewChecklist.objects.filter(
        application=application, version_sequence=current_version_sequence(application)
    ).first()


def decide_first_review(
    *,
    application: Application,
    user: User,
    decision: str,
    items: dict[str, Any] | None = None,
    recommendation: str = "",
    comment: str = "",
    resubmission_due: DueDate = None,
    at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> Application:
    """三1 decision on one application; returns it in its new state.

    Raises PermissionDenied (not its first-review body), ValidationError (state changed, reasons of the guards).
    """
    decision = Decision(decision)
    at = step_time(at=at, request=request)
    comment = (comment or "").strip()
    recommendation = (recommendation or "").strip()
    with transaction.atomic():
        saved = (
            save_first_review_checklist(application=application, user=user, items=items, recommendation=recommendation)
            if items is not None
            else get_saved_checklist(application=application)
        )
        items = saved.items if saved else {}
        recommendation = recommendation or (saved.recommendation if saved else "")
        payload: dict[str, Any] = (
            {"checklist": items, "recommendation": recommendation}
            if decision == Decision.PASS
            else {"resubmission_due": resubmission_due}
            if decision == Decision.RETURN
            else {}
        )
        updated = fire_transition(
            application=application,
            name=FIRST_REVIEW_STEPS[decision],
            actor=user,
            comment="" if decision == Decision.PASS else comment,
            payload=payload,
            at=at,
            request=request,
        )
        if decision != Decision.PASS:  # a pass is recorded by the step's own effect (record_first_review)
            add_first_review_record(
                application=updated,
                version_sequence=current_version_sequence(updated),
                reviewer=user,
                organisation=get_acting_organisation(user=user),
                decision=decision,
                checklist=checklist_rows(application=updated, items=items),
                recommendation=recommendation,
                comment=comment,
                resubmission_due=parse_due_date(resubmission_due),
                at=at,
            )
    return updated


def batch_first_review(
    *,
    applications: Iterable[Application],
    user: User,
    decision: str,
    recommendation: str = "",
    comment: str = "",
    resubmission_due: DueDate = None,
    at: dt.datetime | None = None,
) -> list[BatchResult]:
    """The same decision for each application, each in its own transaction (one failure stops nothing else).

    A batch pass uses each application's saved checklist with the common recommendation; an incomplete checklist
    refuses that item with the reason. Returns [{"application", "ok", "messages"}] in the given order.
    """
    results: list[BatchResult] = []
    for application in applications:
        try:
            updated = decide_first_review(
                application=application,
                user=user,
                decision=decision,
                recommendation=recommendation,
                comment=comment,
                resubmission_due=resubmission_due,
                at=at,
            )
        except (ValidationError, PermissionDenied) as error:
            results.append({"application": application, "ok": False, "messages": error_messages(error)})
        else:
            results.append({"application": updated, "ok": True, "messages": []})
    return results


def record_recheck_decision(
    *,
    application: Application,
    user: User,
    decision: str,
    comment: str,
    resubmission_due: DueDate = None,
    at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> Application:
    """三2: the user's body decides on the current round; returns the application in its (possibly new) state.

    A pass fires `recheck_pass` once the call's rule is met (both bodies, or any body); a return or a rejection
    fires `recheck_return` / `recheck_reject` at once. A body decides once per round.
    """
    decision = Decision(decision)
    at = step_time(at=at, request=request)
    comment = (comment or "").strip()
    with transaction.atomic():
        locked = lock_application(application=application)
        if not user.has_perm("review.recheck", locked):
            raise PermissionDenied(_("您不是该申报的资格复核单位人员。"))
        if locked.status != "recheck":
            raise ValidationError(
                _("状态已变化：该申报当前为「%(status_display)s」，不能再作资格复核决定。请刷新页面。")
                % {"status_display": locked.get_status_display()},
                code="state_changed",
            )
        if decision != Decision.PASS and not comment:
            raise ValidationError(_("退回修改或不予通过须填写复核意见。"), code="comment_required")
        round_ = current_version_sequence(locked)
        body = get_acting_organisation(user=user)
        if RecheckDecision.objects.filter(application=locked, round=round_, body=body).exists():
            raise ValidationError(_("本单位已对该申报作出复核决定，不能重复提交。"), code="already_decided")
        try:
            with transaction.atomic():
                RecheckDecision.objects.create(
                    application=locked,
                    round=round_,
                    body=body,
                    decision=decision,
                    comment=comment,
                    resubmission_due=parse_due_date(resubmission_due) if decision == Decision.RETURN else None,
                    reviewer=user,
                    at=at,
                )
        except IntegrityError:
            raise ValidationError(_("本单位已对该申报作出复核决定，不能重复提交。"), code="already_decided") from None
        if decision == Decision.PASS:
            if recheck_bodies_passed(application=locked, actor=user, payload={}, at=at):
                return locked  # waiting for the other body
            return fire_transition(application=locked, name="recheck_pass", actor=user, at=at, request=request)
        return fire_transition(
            application=locked,
            name=RECHECK_STEPS[decision],
            actor=user,
            comment=comment,
            payload={"resubmission_due": resubmission_due} if decision == Decision.RETURN else {},
            at=at,
            request=request,
        )
