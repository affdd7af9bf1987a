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
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shenbao.accounts.models import User
from shenbao.accounts.selectors import map_users
from shenbao.applications.models import Application
from shenbao.applications.selectors import list_applications
from shenbao.applications.workflow import ApplicationStatus
from shenbao.audit.services import record_event
from shenbao.core.transitions import fire
from shenbao.notifications.services import create_notifications, in_working_language

from .allocation import AllocationImpossible, allocate
from .models import Assignment, ExpertRelation, Panel, PanelMember
from .panels import lock_panel, require_panel_admin
from .rules import PoolExpert, pool_experts_q, unit_conflict
from .workflow import MACHINE

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


def _city_of(assignment: Assignment) -> int:
    return assignment.panel.call.city_id


def _tell_experts(assignments: Iterable[Assignment], *, at: dt.datetime) -> None:
    """One inbox message per expert with new work (not one per application)."""
    by_expert: dict[int, list[Assignment]] = {}
    for assignment in assignments:
        by_expert.setdefault(assignment.expert_id, []).append(assignment)
    if not by_expert:
        return
    experts = map_users(ids=by_expert)
    url = reverse("experts:my_assignments")
    for expert_id, rows in sorted(by_expert.items()):
        with in_working_language():
            title = _("新的评审任务（%(count)s项）") % {"count": len(rows)}
            body = _(
                "您被分配了新的专家评审任务，请登录平台查看申报材料并按时评分。如与申报单位存在利害关系，请及时申请回避。"
            )
        create_notifications(
            recipients=[experts[expert_id]],
            event="experts:assigned",
            title=title,
            body=body,
            url=url,
            city=functools.partial(_city_of, rows[0]),
            at=at,
        )


def _expert_review_applications(panel: Panel) -> list[Application]:
    return list(
        list_applications(
            call=panel.call_id, project_type=panel.project_type_id, statuses=(ApplicationStatus.EXPERT_REVIEW,)
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


# --- swap and recusal: the assignment's workflow (`workflow.MACHINE`, its steps in `steps`) ----------------------


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
    """The administrator replaces the expert of an assignment (更换专家) with a recorded reason; returns the new one.

    `replacement` (a user) is checked against the conflict rules; without it the least-loaded eligible member
    is chosen. Refused, changing nothing, when nobody eligible is left or the expert already submitted scores.
    """
    reason = _check_reason(reason)
    lock_panel(assignment.panel)  # like every assignment write: two administrators cannot fill the same gap
    swapped = fire(
        machine=MACHINE,
        obj=assignment,
        name="swap",
        actor=actor,
        payload={"reason": reason, "replacement": replacement},
        at=at,
        request=request,
    )
    new: Assignment = swapped.replaced_by
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
    reason = _check_reason(reason)
    lock_panel(assignment.panel)
    recused = fire(
        machine=MACHINE, obj=assignment, name="recuse", actor=actor, payload={"reason": reason}, at=at, request=request
    )
    new: Assignment | None = recused.replaced_by
    return new
