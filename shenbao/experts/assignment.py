"""Writes about assignments (分配, 更换, 回避), notice 三3; panels themselves are written by `panels`.

Conflict rules (回避), checked for every new assignment, automatic or chosen by hand:
- never an expert whose work unit is the applicant unit;
- never an expert who declared a relation with the applicant unit (ExpertRelation);
- when the panel says so, never an expert of the applicant unit's county (县(市、区));
- never an expert who already left this application (recused or swapped out).
The first three (and who is in the pool at all) are `rules.unit_conflict` / `rules.pool_experts_q`, which the
acceptance evaluation uses too.
Loads are balanced by `allocation.allocate`. Every write locks the panel row first, so two administrators (or
an administrator and a recusing expert) cannot both fill the same gap.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shenbao.accounts.models import User
from shenbao.accounts.roles import Role
from shenbao.applications.models import Application
from shenbao.applications.workflow import ApplicationStatus
from shenbao.audit.services import record_event
from shenbao.notifications.recipients import CALL_ADMIN, audience_q
from shenbao.notifications.services import create_notifications

from .allocation import AllocationImpossible, allocate
from .models import Assignment, ExpertRelation, Panel, PanelMember
from .panels import lock_panel, require_panel_admin
from .rules import PoolExpert, pool_experts_q, unit_conflict

ACTIVE = Assignment.Status.ACTIVE
# What the conflict rules and the balance read (`load_state`): the members who can take work by user id, the
# declared (expert, unit) relations, the active experts per application, the (expert, application) pairs that
# ended, and each member's active load.
type LoadState = tuple[
    dict[int, PoolExpert], set[tuple[int, int]], dict[int, set[int]], set[tuple[int, int]], dict[int, int]
]
# New (application id, expert id) pairs.
type Pairs = list[tuple[int, int]]


@dataclass
class AssignmentOutcome:
    created: list[Assignment] = field(default_factory=list)
    applications: int = 0


def _check_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写原因。")})
    return reason


# --- who may review what ---------------------------------------------------------------------------------------


def _candidates(panel: Panel) -> dict[int, PoolExpert]:
    """The members who can take new work (`rules.pool_experts_q`), by user id."""
    rows = (
        PanelMember.objects.filter(pool_experts_q(prefix="expert__"), panel=panel)
        .values_list("expert_id", "expert__expert_profile__work_unit_id", "expert__expert_profile__region_id")
        .order_by("expert_id")
    )
    return {user_id: PoolExpert(user_id, unit_id, region_id) for user_id, unit_id, region_id in rows}


def conflict_reason(
    *,
    panel: Panel,
    candidate: PoolExpert,
    application: Application,
    relations: set[tuple[int, int]],
    ended: set[tuple[int, int]],
) -> str:
    """Why `candidate` may not be newly assigned to `application`, in Chinese, or "" when they may."""
    reason = unit_conflict(
        expert=candidate, unit=application.unit, relations=relations, exclude_same_county=panel.exclude_same_county
    )
    if reason:
        return reason
    if (candidate.user_id, application.pk) in ended:
        return _("专家已对该申报回避或被更换")
    return ""


def load_state(panel: Panel, applications: list[Application]) -> LoadState:
    """Everything the conflict rules and the balance need, in a fixed number of queries."""
    candidates = _candidates(panel)
    application_ids = [application.pk for application in applications]
    unit_ids = {application.unit_id for application in applications}
    relations = set(
        ExpertRelation.objects.filter(expert__user__in=list(candidates), organisation__in=unit_ids).values_list(
            "expert__user_id", "organisation_id"
        )
    )
    active: dict[int, set[int]] = {}
    ended: set[tuple[int, int]] = set()
    for expert_id, application_id, status in Assignment.objects.filter(
        panel=panel, application__in=application_ids
    ).values_list("expert_id", "application_id", "status"):
        if status == ACTIVE:
            active.setdefault(application_id, set()).add(expert_id)
        else:
            ended.add((expert_id, application_id))
    loads = dict.fromkeys(candidates, 0)
    for expert_id in Assignment.objects.filter(panel=panel, status=ACTIVE, expert__in=list(candidates)).values_list(
        "expert_id", flat=True
    ):
        loads[expert_id] += 1
    return candidates, relations, active, ended, loads


def _eligible(
    panel: Panel,
    application: Application,
    candidates: dict[int, PoolExpert],
    relations: set[tuple[int, int]],
    active: dict[int, set[int]],
    ended: set[tuple[int, int]],
) -> list[int]:
    taken = active.get(application.pk, set())
    return [
        user_id
        for user_id, candidate in candidates.items()
        if user_id not in taken
        and not conflict_reason(
            panel=panel, candidate=candidate, application=application, relations=relations, ended=ended
        )
    ]


def _impossible(error: AllocationImpossible, applications_by_id: dict[int, Application]) -> ValidationError:
    application = applications_by_id[error.application]
    return ValidationError(
        _(
            "申报「%(number)s %(name)s」还需%(needed)s名专家，"
            "但符合回避要求的专家组成员只有%(available)s名。"
            "请增加专家组成员或调整回避设置后再分配。"
        )
        % {
            "number": application.number,
            "name": application.unit.name,
            "needed": error.needed,
            "available": error.available,
        },
        code="not_enough_experts",
    )


def _allocate(
    panel: Panel, applications: list[Application], *, needs_of: Callable[[Application, dict[int, set[int]]], int]
) -> Pairs:
    """New (application, expert id) pairs for `applications`; raises AllocationImpossible."""
    candidates, relations, active, ended, loads = load_state(panel, applications)
    needs = {application.pk: needs_of(application, active) for application in applications}
    eligible = {
        application.pk: _eligible(panel, application, candidates, relations, active, ended)
        for application in applications
    }
    result = allocate(needs=needs, eligible=eligible, loads=loads)
    return [(application_id, expert_id) for application_id, experts in result.pairs.items() for expert_id in experts]


def _create_assignments(panel: Panel, pairs: Pairs, *, actor: User | None, at: dt.datetime) -> list[Assignment]:
    rows = [
        Assignment(panel=panel, application_id=application_id, expert_id=expert_id, assigned_at=at, assigned_by=actor)
        for application_id, expert_id in pairs
    ]
    # One insert per row so auditlog records each new assignment (bulk_create sends no signals).
    for row in rows:
        row.save()
    return rows


def _tell_experts(assignments: Iterable[Assignment], *, at: dt.datetime) -> None:
    """One inbox message per expert with new work (not one per application)."""
    by_expert: dict[int, list[Assignment]] = {}
    for assignment in assignments:
        by_expert.setdefault(assignment.expert_id, []).append(assignment)
    if not by_expert:
        return
    experts = User.objects.in_bulk(list(by_expert))
    url = reverse("experts:my_assignments")
    for expert_id, rows in sorted(by_expert.items()):
        create_notifications(
            recipients=[experts[expert_id]],
            event="experts:assigned",
            title=f"新的评审任务（{len(rows)}项）",
            body="您被分配了新的专家评审任务，请登录平台查看申报材料并按时评分。如与申报单位存在利害关系，请及时申请回避。",
            url=url,
            at=at,
        )


def _expert_review_applications(panel: Panel) -> list[Application]:
    return list(
        Application.objects.filter(
            call=panel.call_id, project_type=panel.project_type_id, status=ApplicationStatus.EXPERT_REVIEW
        )
        .select_related("unit")
        .order_by("number", "pk")
    )


def _check_panel_size(panel: Panel, wanted: int) -> None:
    """A panel with fewer members who can take work than each application needs cannot be assigned at all."""
    members = len(_candidates(panel))
    if members < wanted:
        raise ValidationError(
            _(
                "专家组现有%(members)s名可分配的成员，"
                "少于每项申报所需的%(wanted)s名专家（申报通知规定不少于"
                "%(experts_per_application)s名），请先添加成员。"
            )
            % {"members": members, "wanted": wanted, "experts_per_application": panel.call.experts_per_application},
            code="panel_too_small",
        )


@transaction.atomic
def assign_experts(
    *, panel: Panel, actor: User, at: dt.datetime | None = None, request: HttpRequest | None = None
) -> AssignmentOutcome:
    """Give every application of the panel's project type in 专家评审 its N experts (分配).

    Tops up: applications that already have experts get only what they lack, so running it again after new
    applications arrive (or after a recusal left a gap) never duplicates. Refuses, changing nothing, when
    some application cannot get N conflict-free experts, naming that application.
    """
    at = at or timezone.now()
    panel = lock_panel(panel)
    require_panel_admin(actor, panel)
    applications = _expert_review_applications(panel)
    by_id = {application.pk: application for application in applications}
    wanted = panel.experts_needed
    _check_panel_size(panel, wanted)
    try:
        pairs = _allocate(
            panel,
            applications,
            needs_of=lambda application, active: max(wanted - len(active.get(application.pk, ())), 0),
        )
    except AllocationImpossible as error:
        raise _impossible(error, by_id) from None
    created = _create_assignments(panel, pairs, actor=actor, at=at)
    if created:
        record_event(
            event="experts:assign",
            actor=actor,
            target=panel,
            request=request,
            details={"created": len(created), "applications": len({row.application_id for row in created})},
        )
        _tell_experts(created, at=at)
    return AssignmentOutcome(created=created, applications=len(applications))


# --- swap and recusal ------------------------------------------------------------------------------------------


def has_submitted_score(assignment: Assignment) -> bool:
    """A submitted score sheet (shenbao.scoring) makes the assignment final; nothing replaces it silently."""
    if not apps.is_installed("shenbao.scoring"):
        return False
    try:
        from shenbao.scoring.models import ScoreSheet
    except ImportError:
        return False
    sheets = ScoreSheet.objects.filter(assignment=assignment.pk)
    status = getattr(ScoreSheet, "Status", None)
    if status is not None and hasattr(status, "SUBMITTED"):
        sheets = sheets.filter(status=status.SUBMITTED)
    return sheets.exists()


def _lock_assignment(assignment: Assignment) -> Assignment:
    return (
        Assignment.objects.select_for_update()
        .select_related("application", "application__unit", "application__call", "expert")
        .get(pk=assignment.pk)
    )


def _end(assignment: Assignment, *, status: str, reason: str, actor: User, at: dt.datetime) -> None:
    assignment.status = status
    assignment.reason = reason
    assignment.ended_at = at
    assignment.ended_by = actor
    assignment.save(update_fields=["status", "reason", "ended_at", "ended_by"])


def _check_replaceable(assignment: Assignment) -> None:
    if assignment.status != ACTIVE:
        raise ValidationError(_("该评审任务已结束，不能再更换或回避。"), code="ended")
    if assignment.application.status != ApplicationStatus.EXPERT_REVIEW:
        raise ValidationError(_("该申报已不在专家评审阶段，不能更换专家。"), code="not_in_review")
    if has_submitted_score(assignment):
        raise ValidationError(
            _("该专家已提交评分表，不能直接更换或回避；如确有必要，请先由专家组组长退回评分表。"), code="scored"
        )


def _chosen_replacement(panel: Panel, assignment: Assignment, replacement: User) -> Pairs:
    application = assignment.application
    candidates, relations, active, ended, _loads = load_state(panel, [application])
    candidate = candidates.get(replacement.pk)
    if candidate is None:
        raise ValidationError(
            {"replacement": _("%(replacement)s不是本专家组的在库专家。") % {"replacement": replacement}}
        )
    if replacement.pk in active.get(application.pk, set()):
        raise ValidationError({"replacement": _("%(replacement)s已在评审该申报。") % {"replacement": replacement}})
    reason = conflict_reason(
        panel=panel, candidate=candidate, application=application, relations=relations, ended=ended
    )
    if reason:
        raise ValidationError(
            {"replacement": _("%(replacement)s须回避：%(reason)s。") % {"replacement": replacement, "reason": reason}}
        )
    return [(application.pk, replacement.pk)]


def _replacement_pairs(panel: Panel, application: Application) -> Pairs:
    return _allocate(panel, [application], needs_of=lambda application, active: 1)


def _link(old: Assignment, new: Assignment) -> None:
    old.replaced_by = new
    old.save(update_fields=["replaced_by"])


@transaction.atomic
def swap_assignment(
    *,
    assignment: Assignment,
    actor: User,
    reason: str,
    replacement: User | None = None,
    at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> Assignment:
    """The administrator replaces the expert of an assignment (更换专家) with a recorded reason.

    `replacement` (a user) is checked against the conflict rules; without it the least-loaded eligible member
    is chosen. Refused, changing nothing, when nobody eligible is left or the expert already submitted scores.
    """
    at = at or timezone.now()
    reason = _check_reason(reason)
    panel = lock_panel(assignment.panel)
    require_panel_admin(actor, panel)
    assignment = _lock_assignment(assignment)
    _check_replaceable(assignment)
    _end(assignment, status=Assignment.Status.SWAPPED, reason=reason, actor=actor, at=at)
    try:
        pairs = (
            _chosen_replacement(panel, assignment, replacement)
            if replacement is not None
            else _replacement_pairs(panel, assignment.application)
        )
    except AllocationImpossible as error:
        raise _impossible(error, {assignment.application_id: assignment.application}) from None
    (new,) = _create_assignments(panel, pairs, actor=actor, at=at)
    _link(assignment, new)
    record_event(
        event="experts:swap",
        actor=actor,
        target=assignment,
        request=request,
        details={
            "application": assignment.application.number,
            "from": str(assignment.expert),
            "to": str(new.expert),
            "reason": reason,
        },
    )
    create_notifications(
        recipients=[assignment.expert],
        event="experts:swapped",
        title=f"评审任务调整：{assignment.application.number}",
        body=f"申报管理员已将您从申报「{assignment.application.number}」的评审中调出。原因：{reason}",
        url=reverse("experts:my_assignments"),
        at=at,
    )
    _tell_experts([new], at=at)
    return new


@transaction.atomic
def recuse_assignment(
    *,
    assignment: Assignment,
    actor: User,
    reason: str,
    at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> Assignment | None:
    """The expert declares a conflict (回避) on one of their assignments; a replacement is assigned at once.

    The recusal always stands (an expert with a conflict must not review); when no eligible member is left the
    application is short of one expert and the administrators are told to add members and assign again.
    Returns the replacement assignment or None.
    """
    at = at or timezone.now()
    reason = _check_reason(reason)
    panel = lock_panel(assignment.panel)
    assignment = _lock_assignment(assignment)
    if assignment.expert_id != actor.pk or not actor.has_role(Role.EXPERT):
        raise ValidationError(_("只能对本人的评审任务申请回避。"), code="not_holder")
    _check_replaceable(assignment)
    _end(assignment, status=Assignment.Status.RECUSED, reason=reason, actor=actor, at=at)
    application = assignment.application
    try:
        pairs = _replacement_pairs(panel, application)
    except AllocationImpossible:
        new = None
    else:
        (new,) = _create_assignments(panel, pairs, actor=None, at=at)
        _link(assignment, new)
    record_event(
        event="experts:recuse",
        actor=actor,
        target=assignment,
        request=request,
        details={
            "application": application.number,
            "reason": reason,
            "replacement": str(new.expert) if new else "",
        },
    )
    outcome = (
        f"系统已自动分配替换专家{new.expert}。" if new else "没有符合回避要求的专家可替换，请增加专家组成员后重新分配。"
    )
    admins = User.objects.filter(audience_q(CALL_ADMIN, application=application), is_active=True).order_by("pk")
    create_notifications(
        recipients=list(admins),
        event="experts:recused",
        title=f"专家回避：{application.number} {application.unit.name}",
        body=f"专家{assignment.expert}对申报「{application.number}」申请回避。理由：{reason}。{outcome}",
        url=reverse("experts:panel_detail", kwargs={"public_id": panel.public_id}),
        application=application,
        at=at,
    )
    if new:
        _tell_experts([new], at=at)
    return new
