"""What the assignment's workflow (`workflow.MACHINE`) names: who may swap or recuse, what both require and do,
what their audit entries carry and who is told. Called by `core.transitions.fire` under the assignment's row
lock, after `assignment.swap_assignment` / `recuse_assignment` locked the panel. The replacement is found with
the same conflict rules and balance as every other assignment (`assignment`)."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from shenbao.accounts.roles import Role
from shenbao.applications.workflow import ApplicationStatus
from shenbao.core.transitions import Transition
from shenbao.notifications.recipients import CALL_ADMIN, list_recipients
from shenbao.notifications.services import create_notifications, in_working_language

from .allocation import AllocationImpossible

# The allocation helpers of this app's assignment writes (one set of conflict rules and one balance).
from .assignment import _allocate, _create_assignments, _impossible, _tell_experts, conflict_reason, load_state
from .models import Assignment
from .rules import manages_panel


def panel_admin(user: Any, assignment: Assignment) -> bool:
    return bool(manages_panel(user, assignment.panel))


def assigned_expert(user: Any, assignment: Assignment) -> bool:
    active = bool(getattr(user, "is_authenticated", False)) and user.is_active
    return active and user.has_role(Role.EXPERT) and assignment.expert_id == user.pk


def application_in_expert_review(*, assignment: Assignment, actor: Any, payload: Any, at: Any) -> list[str]:
    if assignment.application.status == ApplicationStatus.EXPERT_REVIEW:
        return []
    return [_("该申报已不在专家评审阶段，不能更换专家。")]


# The stages that build on an assignment say whether it is final (a submitted score sheet), named by dotted path
# and imported on use, as the workflow's steps name the apps that own them: experts does not depend on them.
ASSIGNMENT_FINAL_CHECKS = ("shenbao.scoring.selectors.has_submitted_sheet",)


def has_submitted_score(assignment: Assignment) -> bool:
    """A submitted score sheet (shenbao.scoring) makes the assignment final; nothing replaces it silently."""
    return any(import_string(check)(assignment=assignment) for check in ASSIGNMENT_FINAL_CHECKS)


def no_submitted_score(*, assignment: Assignment, actor: Any, payload: Any, at: Any) -> list[str]:
    if not has_submitted_score(assignment):
        return []
    return [_("该专家已提交评分表，不能直接更换或回避；如确有必要，请先由专家组组长退回评分表。")]


def end_assignment(*, assignment: Assignment, actor: Any, payload: dict[str, Any], at: datetime.datetime) -> None:
    assignment.reason = payload["reason"]
    assignment.ended_at = at
    assignment.ended_by = actor


def _chosen_pairs(assignment: Assignment, replacement: Any) -> list[tuple[int, int]]:
    """The administrator's choice, checked against the conflict rules (the reason says why not)."""
    panel, application = assignment.panel, assignment.application
    candidates, relations, active, ended, _loads = load_state(panel, [application])
    candidate = candidates.get(replacement.pk)
    if candidate is None:
        raise ValidationError({"replacement": _("%(expert)s不是本专家组的在库专家。") % {"expert": replacement}})
    if replacement.pk in active.get(application.pk, set()):
        raise ValidationError({"replacement": _("%(expert)s已在评审该申报。") % {"expert": replacement}})
    reason = conflict_reason(
        panel=panel, candidate=candidate, application=application, relations=relations, ended=ended
    )
    if reason:
        raise ValidationError(
            {"replacement": _("%(expert)s须回避：%(reason)s。") % {"expert": replacement, "reason": reason}}
        )
    return [(application.pk, replacement.pk)]


def _replace(assignment: Assignment, *, actor: Any, replacement: Any, at: datetime.datetime) -> None:
    """Assign the replacement (raises AllocationImpossible when no eligible member is left) and link it."""
    if replacement is not None:
        pairs = _chosen_pairs(assignment, replacement)
    else:
        pairs = _allocate(assignment.panel, [assignment.application], needs_of=lambda application, active: 1)
    (new,) = _create_assignments(assignment.panel, pairs, actor=actor, at=at)
    assignment.replaced_by = new
    assignment.save(update_fields=["replaced_by"])


def assign_replacement(*, assignment: Assignment, actor: Any, payload: dict[str, Any], at: datetime.datetime) -> None:
    """更换: the chosen or least-loaded eligible member; without one the swap is refused and nothing changes."""
    try:
        _replace(assignment, actor=actor, replacement=payload.get("replacement"), at=at)
    except AllocationImpossible as error:
        raise _impossible(error, {assignment.application_id: assignment.application}) from None


def assign_replacement_if_possible(
    *, assignment: Assignment, actor: Any, payload: dict[str, Any], at: datetime.datetime
) -> None:
    """回避 always stands; without an eligible member the application is short of one expert (the administrators
    are told to add members and assign again)."""
    try:
        _replace(assignment, actor=None, replacement=None, at=at)
    except AllocationImpossible:
        return


ACTORS = {"panel_admin": panel_admin, "assigned_expert": assigned_expert}
GUARDS = {"application_in_expert_review": application_in_expert_review, "no_submitted_score": no_submitted_score}
EFFECTS = {
    "end_assignment": end_assignment,
    "assign_replacement": assign_replacement,
    "assign_replacement_if_possible": assign_replacement_if_possible,
}


def audit_details(assignment: Assignment, *, step: Transition, at: datetime.datetime) -> dict[str, str]:
    new = assignment.replaced_by
    return {
        "application": assignment.application.number,
        "from": str(assignment.expert),
        "to": str(new.expert) if new else "",
    }


def notify_step(assignment: Assignment, *, step: Transition, actor: Any, comment: str, at: datetime.datetime) -> None:
    """Swapped out: the expert is told why. Recused: the call administrators are told, and whether a replacement
    was found. A replacement is told of the new work."""
    application, new, reason = assignment.application, assignment.replaced_by, assignment.reason
    values = {"number": application.number, "unit": application.unit.name, "reason": reason}
    if "expert" in step.notify:
        with in_working_language():
            title = _("评审任务调整：%(number)s") % values
            body = _("申报管理员已将您从申报「%(number)s」的评审中调出。原因：%(reason)s") % values
        create_notifications(
            recipients=[assignment.expert],
            event="experts:swapped",
            title=title,
            body=body,
            url=reverse("experts:my_assignments"),
            city=lambda: application.call.city_id,
            at=at,
        )
    if "call_admin" in step.notify:
        with in_working_language():
            outcome = (
                _("系统已自动分配替换专家%(expert)s。") % {"expert": new.expert}
                if new
                else _("没有符合回避要求的专家可替换，请增加专家组成员后重新分配。")
            )
            title = _("专家回避：%(number)s %(unit)s") % values
            body = _("专家%(expert)s对申报「%(number)s」申请回避。理由：%(reason)s。%(outcome)s") % {
                **values,
                "expert": assignment.expert,
                "outcome": outcome,
            }
        admins = [user for user, _audience in list_recipients(application=application, audiences=(CALL_ADMIN,))]
        create_notifications(
            recipients=admins,
            event="experts:recused",
            title=title,
            body=body,
            url=reverse("experts:panel_detail", kwargs={"public_id": assignment.panel.public_id}),
            application=application,
            at=at,
        )
    if "replacement" in step.notify and new is not None:
        _tell_experts([new], at=at)
