"""What the score sheet's workflow (`workflow.MACHINE`) names: who may fire a step, what it requires and does,
what its audit entry carries and who is told. Called by `core.transitions.fire` under the sheet's row lock."""

import datetime
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from shenbao.applications.workflow import ApplicationStatus
from shenbao.core.transitions import Transition
from shenbao.experts.models import Assignment
from shenbao.notifications.services import create_notifications, in_working_language

from .models import ScoreSheet, SheetReopening
from .rules import is_expert_user, reopenable_sheets_q


def expert_of_sheet(user: Any, sheet: ScoreSheet) -> bool:
    return is_expert_user(user) and sheet.assignment.expert_id == user.pk


def may_reopen(user: Any, sheet: ScoreSheet) -> bool:
    """The panel chair (not for their own sheet) or the call administrator of the call's city."""
    return ScoreSheet.objects.filter(reopenable_sheets_q(user), pk=sheet.pk).exists()


def assignment_active(*, sheet: ScoreSheet, actor: Any, payload: Any, at: datetime.datetime) -> list[str]:
    if sheet.assignment.status == Assignment.Status.ACTIVE:
        return []
    return [_("该评审任务已结束（已回避或已更换专家），不能重新打开。")]


def application_in_expert_review(*, sheet: ScoreSheet, actor: Any, payload: Any, at: datetime.datetime) -> list[str]:
    # Once the application has left 专家评审 the proposed list was set from these scores.
    if sheet.assignment.application.status == ApplicationStatus.EXPERT_REVIEW:
        return []
    return [_("该申报已不在专家评审阶段，评分表不能再重新打开。")]


def record_submission(*, sheet: ScoreSheet, actor: Any, payload: Any, at: datetime.datetime) -> None:
    sheet.submitted_at = at


def record_reopening(*, sheet: ScoreSheet, actor: Any, payload: Any, at: datetime.datetime) -> None:
    """Keep what the sheet was (its total and submission time) with the reason; the expert's copy goes stale."""
    SheetReopening.objects.create(
        sheet=sheet,
        reason=payload["reason"],
        reopened_by=actor,
        reopened_at=at,
        previous_total=sheet.total,
        previous_submitted_at=sheet.submitted_at,
    )
    sheet.submitted_at = None
    sheet.revision += 1


ACTORS = {"expert_of_sheet": expert_of_sheet, "may_reopen": may_reopen}
GUARDS = {"assignment_active": assignment_active, "application_in_expert_review": application_in_expert_review}
EFFECTS = {"record_submission": record_submission, "record_reopening": record_reopening}


def _name(user: Any) -> str:
    return user.full_name or user.username


def audit_details(sheet: ScoreSheet, *, step: Transition, at: datetime.datetime) -> dict[str, str]:
    """The application and expert of the sheet, and its totals as they stand after the step."""
    assignment = sheet.assignment
    return {
        "number": assignment.application.number,
        "unit": assignment.application.unit.name,
        "panel": assignment.panel.name,
        "expert": _name(assignment.expert),
        "total": str(sheet.total),
        "material": str(sheet.material_total),
        "defence": str(sheet.defence_total),
    }


def notify_step(sheet: ScoreSheet, *, step: Transition, actor: Any, comment: str, at: datetime.datetime) -> None:
    """A reopened sheet: its expert is told who reopened it and why, with the link to change and submit again."""
    if "expert" not in step.notify:
        return
    assignment = sheet.assignment
    application = assignment.application
    reason = sheet.reopenings.order_by("-reopened_at", "-pk").values_list("reason", flat=True).first()
    values = {"number": application.number, "unit": application.unit.name, "by": _name(actor), "reason": reason}
    with in_working_language():
        title = _("评分表已重新打开：%(number)s %(unit)s") % values
        body = _("您提交的评分表已由%(by)s重新打开，请修改后再次提交。原因：%(reason)s") % values
    create_notifications(
        recipients=[assignment.expert],
        event=f"scoring:{step.name}",
        title=title,
        body=body,
        url=reverse("scoring:sheet", kwargs={"public_id": assignment.public_id}),
        application=application,
        at=at,
    )
