"""Writes of 专家评分: saving a draft, submitting (which locks the sheet), reopening, reminding late experts.

Every write locks the assignment row first (SELECT … FOR UPDATE), so two tabs, a double click or a chair
reopening while the expert submits are serialised: one submission, one audit record. Submitting and reopening
are the steps of the sheet's workflow (`workflow.MACHINE`, fired by `core.transitions.fire`). The pages and the
API call these same functions. Ranking and the proposed list are in `services_ranking`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shenbao.applications.workflow import ApplicationStatus
from shenbao.audit.services import record_event
from shenbao.calls.models import RubricItem
from shenbao.core.revisions import check_revision
from shenbao.core.transitions import fire
from shenbao.experts.models import Assignment, Panel
from shenbao.experts.selectors import lock_assignment
from shenbao.experts.services import lock_panel
from shenbao.notifications.services import create_notifications, in_working_language

from .models import PanelReminder, ScoreEntry, ScoreSheet
from .rules import administers_panel, is_expert_user
from .selectors import list_late_assignments, list_rubric_items
from .workflow import MACHINE

if TYPE_CHECKING:
    from shenbao.accounts.models import User


COMMENT_MAX = 2000
OPINION_MAX = 4000
# A second click on 提醒 within this time reminds nobody twice.
REMINDER_INTERVAL = datetime.timedelta(minutes=10)
SCORE_SHEET = gettext_lazy("评分表")
# What an expert posts for a sheet: {rubric item code: {"points": …, "comment": …}}.
type Scores = Mapping[str, Mapping[str, Any] | None]
# Cleaned scores: {rubric item pk: (points or None, comment)}.
type CleanedScores = dict[int, tuple[Decimal | None, str]]


def format_points(value: Decimal | int | str) -> str:
    """20.00 → "20", 15.50 → "15.5": points as people write them."""
    return f"{Decimal(value).normalize():f}"


def _step_message(item: RubricItem, step: Decimal) -> str:
    if step == 1:
        return _("「%(name)s」的得分须为整数。") % {"name": item.name}
    return _("「%(name)s」的得分须为%(step)s分的整数倍。") % {"name": item.name, "step": format_points(step)}


def clean_points(*, item: RubricItem, value: object, step: Decimal) -> Decimal | None:
    """The points for `item` as Decimal (None when blank), or ValidationError with a Chinese message.

    Refuses anything that is not a number, below 0, above the item's maximum, or not a multiple of the
    project type's step (whole or half points, from the call file).
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    # JSON numbers arrive as floats; their text is what the expert typed
    try:
        points = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(_("「%(name)s」的得分须为数字。") % {"name": item.name}, code="not_a_number") from None
    if not points.is_finite():
        raise ValidationError(_("「%(name)s」的得分须为数字。") % {"name": item.name}, code="not_a_number")
    if points < 0:
        raise ValidationError(_("「%(name)s」的得分不能低于0分。") % {"name": item.name}, code="below_zero")
    if points > item.max_points:
        raise ValidationError(
            _("「%(name)s」的得分不能超过%(max_points)s分。")
            % {"name": item.name, "max_points": format_points(item.max_points)},
            code="above_maximum",
        )
    if points % step != 0:
        raise ValidationError(_step_message(item, step), code="not_a_step")
    return points.quantize(Decimal("0.01"))


def clean_scores(
    *, items: Iterable[RubricItem], scores: Scores | None, step: Decimal
) -> tuple[CleanedScores, dict[str, str]]:
    """({item pk: (points, comment)}, {code: message}) for `scores` = {code: {"points": …, "comment": …}}."""
    by_code = {item.code: item for item in items}
    cleaned: CleanedScores = {}
    errors: dict[str, str] = {}
    for code, posted in (scores or {}).items():
        item = by_code.get(code)
        if item is None:
            errors[code] = _("评分表中没有“%(code)s”这一项。") % {"code": code}
            continue
        value = posted or {}
        comment = (value.get("comment") or "").strip()
        if len(comment) > COMMENT_MAX:
            errors[code] = _("「%(name)s」的评语不能超过%(comment_max)s字。") % {
                "name": item.name,
                "comment_max": COMMENT_MAX,
            }
            continue
        try:
            cleaned[item.pk] = (clean_points(item=item, value=value.get("points"), step=step), comment)
        except ValidationError as error:
            errors[code] = error.messages[0]
    return cleaned, errors


def _lock_assignment(assignment: Assignment) -> Assignment:
    return lock_assignment(assignment=assignment)


def _lock_for_expert(assignment: Assignment, expert: User) -> tuple[Assignment, ScoreSheet | None]:
    """The locked assignment and its sheet (or None), after every check that the expert may still write."""
    locked = _lock_assignment(assignment)
    if not is_expert_user(expert) or locked.expert_id != expert.pk:
        raise PermissionDenied(_("只能填写本人的评分表。"))
    if locked.status != Assignment.Status.ACTIVE:
        raise ValidationError(_("该评审任务已结束（已回避或已更换专家），不能再评分。"), code="assignment_ended")
    if locked.application.status != ApplicationStatus.EXPERT_REVIEW:
        raise ValidationError(_("该申报已不在专家评审阶段，评分表不能再修改。"), code="not_in_review")
    sheet = ScoreSheet.objects.filter(assignment=locked).first()
    if sheet is not None and sheet.is_submitted:
        raise ValidationError(
            _("评分表已提交，不能再修改。如确需修改，请联系专家组组长或申报管理员重新打开。"), code="submitted"
        )
    return locked, sheet


def _check_revision(sheet: ScoreSheet | None, revision: object) -> None:
    # A sheet not yet saved is at revision 0; a caller that sends no revision (None) is not checked.
    current = sheet.revision if sheet is not None else 0
    check_revision(current=current, expected=revision, what=SCORE_SHEET, optional=True)


def _opinion(value: str | None) -> str:
    text = (value or "").strip()
    if len(text) > OPINION_MAX:
        raise ValidationError(
            _("总体评价意见不能超过%(opinion_max)s字。") % {"opinion_max": OPINION_MAX}, code="opinion_too_long"
        )
    return text


def _sum(values: Iterable[Decimal | None]) -> Decimal | None:
    given = [value for value in values if value is not None]
    return sum(given, Decimal("0.00")) if given else None


def _write(
    *,
    assignment: Assignment,
    sheet: ScoreSheet | None,
    items: list[RubricItem],
    cleaned: CleanedScores,
    overall_opinion: str | None,
) -> tuple[ScoreSheet, dict[int, Decimal | None]]:
    """Create or update the sheet and the given entries; recompute its totals from every entry."""
    if sheet is None:
        sheet = ScoreSheet.objects.create(assignment=assignment)
    existing = {entry.rubric_item_id: entry for entry in sheet.entries.all()}
    for item_pk, (points, comment) in cleaned.items():
        entry = existing.get(item_pk)
        if entry is None:
            existing[item_pk] = ScoreEntry.objects.create(
                sheet=sheet, rubric_item_id=item_pk, points=points, comment=comment
            )
        elif (entry.points, entry.comment) != (points, comment):
            entry.points, entry.comment = points, comment
            entry.save(update_fields=["points", "comment"])
    groups = {item.pk: item.group for item in items}
    scored = {item_pk: entry.points for item_pk, entry in existing.items() if item_pk in groups}
    sheet.total = _sum(scored.values())
    sheet.material_total = _sum(v for k, v in scored.items() if groups[k] == RubricItem.Group.MATERIAL)
    sheet.defence_total = _sum(v for k, v in scored.items() if groups[k] == RubricItem.Group.DEFENCE)
    if overall_opinion is not None:
        sheet.overall_opinion = _opinion(overall_opinion)
    sheet.revision += 1
    return sheet, scored


def _apply(
    *, locked: Assignment, sheet: ScoreSheet | None, scores: Scores | None, overall_opinion: str | None
) -> tuple[ScoreSheet, list[RubricItem], dict[int, Decimal | None]]:
    project_type = locked.application.project_type
    items = list(list_rubric_items(project_type=project_type))
    cleaned, errors = clean_scores(items=items, scores=scores, step=project_type.score_step)
    if errors:
        raise ValidationError(errors)
    sheet, points = _write(
        assignment=locked, sheet=sheet, items=items, cleaned=cleaned, overall_opinion=overall_opinion
    )
    return sheet, items, points


def save_sheet_draft(
    *,
    assignment: Assignment,
    expert: User,
    scores: Scores | None,
    overall_opinion: str | None = None,
    revision: int | str | None = None,
) -> ScoreSheet:
    """Keep the expert's scores as a draft (blank items allowed); returns the sheet.

    `scores` is {rubric item code: {"points": …, "comment": …}}; items not named keep their values.
    `revision` is the revision the expert's copy was loaded at (the pages and the API always send it);
    StaleRevisionError (core.revisions) when the sheet was saved since. ValidationError {code: message} for refused
    points.
    """
    with transaction.atomic():
        locked, sheet = _lock_for_expert(assignment, expert)
        _check_revision(sheet, revision)
        sheet, _items, _points = _apply(locked=locked, sheet=sheet, scores=scores, overall_opinion=overall_opinion)
        sheet.save()
    return sheet


def submit_sheet(
    *,
    assignment: Assignment,
    expert: User,
    scores: Scores | None = None,
    overall_opinion: str | None = None,
    revision: int | str | None = None,
    at: datetime.datetime | None = None,
    request: HttpRequest | None = None,
) -> ScoreSheet:
    """Save what is given, then submit: every item scored and an overall opinion, or nothing changes.

    The submitted sheet is locked (no further saves) and the submission audited ("scoring:submit").
    """
    at = at or timezone.now()
    with transaction.atomic():
        locked, sheet = _lock_for_expert(assignment, expert)
        _check_revision(sheet, revision)
        sheet, items, points = _apply(locked=locked, sheet=sheet, scores=scores, overall_opinion=overall_opinion)
        missing = {
            item.code: _("「%(name)s」尚未评分。") % {"name": item.name}
            for item in items
            if points.get(item.pk) is None
        }
        if missing:
            raise ValidationError(missing, code="incomplete")
        if not sheet.overall_opinion:
            raise ValidationError({"overall_opinion": _("请填写总体评价意见。")}, code="opinion_required")
        sheet.save()
        # The workflow sets the state and the submission time and audits it ("scoring:submit").
        sheet = fire(machine=MACHINE, obj=sheet, name="submit", actor=expert, at=at, request=request)
    return sheet


def reopen_sheet(
    *,
    sheet: ScoreSheet,
    actor: User,
    reason: str,
    at: datetime.datetime | None = None,
    request: HttpRequest | None = None,
) -> ScoreSheet:
    """重新打开: the panel chair (not for their own sheet) or the call administrator sends a submitted sheet back.

    The workflow's `reopen` step checks who may and that the application is still in 专家评审 (the proposed list
    is set from these scores), keeps the reason (SheetReopening), audits it ("scoring:reopen") and tells the expert.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写重新打开评分表的原因。"), code="reason_required")
    with transaction.atomic():
        _lock_assignment(sheet.assignment)  # the expert's writes lock it too: one of the two waits
        return fire(
            machine=MACHINE, obj=sheet, name="reopen", actor=actor, payload={"reason": reason}, at=at, request=request
        )


def remind_late_experts(
    *, panel: Panel, actor: User, at: datetime.datetime | None = None, request: HttpRequest | None = None
) -> PanelReminder:
    """催办: tell each expert of `panel` with an unsubmitted sheet how many are left (inbox + e-mail); audited.

    Returns the PanelReminder. Refused when nobody is late or the panel was reminded a moment ago.
    """
    at = at or timezone.now()
    if not administers_panel(actor, panel):
        raise PermissionDenied(_("只有申报管理员可以提醒专家。"))
    with transaction.atomic():
        locked = lock_panel(panel)
        recent = PanelReminder.objects.filter(panel=locked, sent_at__gt=at - REMINDER_INTERVAL).exists()
        if recent:
            raise ValidationError(_("刚刚已提醒过本专家组的专家，请稍后再试。"), code="reminded_recently")
        late: dict[User, list[str]] = {}
        for assignment in list_late_assignments(panel=locked):
            late.setdefault(assignment.expert, []).append(assignment.application.number)
        if not late:
            raise ValidationError(_("本专家组没有未提交的评分表，无需提醒。"), code="nothing_late")
        url = reverse("scoring:my_assignments")
        for expert, numbers in late.items():
            values = {"panel": locked.name, "count": len(numbers), "numbers": "、".join(numbers)}
            with in_working_language():
                title = _("请尽快提交专家评分表（%(panel)s）") % values
                body = _("您在「%(panel)s」中尚有%(count)s份评分表未提交：%(numbers)s。") % values
            create_notifications(
                recipients=[expert],
                event="scoring:remind",
                title=title,
                body=body,
                url=url,
                city=lambda: locked.call.city_id,
                at=at,
            )
        sheet_count = sum(len(numbers) for numbers in late.values())
        reminder = PanelReminder.objects.create(
            panel=locked, sent_by=actor, sent_at=at, expert_count=len(late), sheet_count=sheet_count
        )
        record_event(
            event="scoring:remind",
            actor=actor,
            target=locked,
            request=request,
            details={
                "panel": locked.name,
                "experts": [expert.full_name or expert.username for expert in late],
                "sheets": sheet_count,
            },
        )
    return reminder
