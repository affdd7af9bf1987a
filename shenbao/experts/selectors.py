"""Reads about experts, panels, assignments and the 答辩 schedule, already scoped to the user.

Lists load their related rows in a fixed number of queries; detail getters raise DoesNotExist outside the
user's scope, which the views turn into 404 (`shenbao.core.http.or_404`).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from shenbao.accounts.roles import Role
from shenbao.accounts.selectors import filter_users, map_users
from shenbao.applications.selectors import list_applications
from shenbao.applications.workflow import ApplicationStatus
from shenbao.calls.selectors import list_project_types
from shenbao.core.pending import count_pending
from shenbao.organisations.selectors import list_regions_within

from .models import Assignment, DefenceSession, DefenceSlot, ExpertProfile, ExpertRelation, Panel, PanelMember
from .rules import (
    PoolExpert,
    administered_city,
    managed_experts_q,
    managed_panels_q,
    own_assignments_q,
    pool_experts_q,
    unit_conflict,
)

if TYPE_CHECKING:
    from shenbao.accounts.models import User
    from shenbao.accounts.rules import AnyUser
    from shenbao.applications.models import Application
    from shenbao.calls.models import Call, ProjectType
    from shenbao.core.pending import Pending
    from shenbao.organisations.models import Organisation, Region

ACTIVE = Assignment.Status.ACTIVE

# --- the pool ---------------------------------------------------------------------------------------------------


def _profiles() -> QuerySet[ExpertProfile]:
    return ExpertProfile.objects.select_related("user", "work_unit", "region")


def list_experts(
    *, user: AnyUser, query: str = "", region: Region | int | None = None, active: bool | None = None
) -> QuerySet[ExpertProfile]:
    """The administrator's pool, filtered by name/unit/specialty text, county and activity."""
    experts = _profiles().filter(managed_experts_q(user))
    if query:
        experts = experts.filter(
            Q(user__full_name__icontains=query)
            | Q(work_unit__name__icontains=query)
            | Q(title__icontains=query)
            | Q(specialties__icontains=query)
        )
    if region is not None:
        experts = experts.filter(region=region)
    if active is not None:
        experts = experts.filter(active=active)
    return experts.order_by("region__sort_order", "user__full_name", "pk")


def get_expert(*, user: AnyUser, public_id: uuid.UUID | str) -> ExpertProfile:
    relations = Prefetch("relations", ExpertRelation.objects.select_related("organisation").order_by("pk"))
    return _profiles().prefetch_related(relations).get(managed_experts_q(user), public_id=public_id)


def get_relation(*, user: AnyUser, expert: ExpertProfile, public_id: uuid.UUID | str) -> ExpertRelation:
    return ExpertRelation.objects.select_related("organisation", "expert").get(
        expert__in=ExpertProfile.objects.filter(managed_experts_q(user), pk=expert.pk), public_id=public_id
    )


def list_city_regions(*, user: AnyUser) -> QuerySet[Region]:
    """The counties (and zones, and the city itself) an expert of the administrator's city may belong to."""
    city = administered_city(user)
    return list_regions_within(region=city)


def get_own_profile(*, user: User) -> ExpertProfile:
    return _profiles().get(user=user.pk)


# --- panels -----------------------------------------------------------------------------------------------------


def list_panel_overview(*, user: AnyUser, call: Call) -> list[tuple[ProjectType, Panel | None, int]]:
    """Per project type of `call`: the panel (or None) with its member and active assignment counts."""
    panels = {
        panel.project_type_id: panel
        for panel in Panel.objects.filter(managed_panels_q(user), call=call)
        .select_related("chair", "call")  # the call: experts_needed
        .annotate(
            member_count=Count("memberships", distinct=True),
            active_count=Count("assignments", filter=Q(assignments__status=ACTIVE), distinct=True),
        )
    }
    waiting = dict(
        list_applications(call=call, statuses=(ApplicationStatus.EXPERT_REVIEW,))
        .values_list("project_type")
        .annotate(count=Count("pk"))
        .values_list("project_type", "count")
    )
    return [
        (project_type, panels.get(project_type.pk), waiting.get(project_type.pk, 0))
        for project_type in list_project_types(call=call)
    ]


def get_panel(*, user: AnyUser, public_id: uuid.UUID | str) -> Panel:
    return Panel.objects.select_related("call", "project_type", "chair").get(
        managed_panels_q(user), public_id=public_id
    )


def list_panel_members(*, panel: Panel) -> QuerySet[PanelMember]:
    """Members with their profile and their active assignment count in this panel."""
    return (
        PanelMember.objects.filter(panel=panel)
        .select_related("expert", "expert__expert_profile", "expert__expert_profile__work_unit")
        .select_related("expert__expert_profile__region")
        .annotate(
            load=Count(
                "expert__expert_assignments",
                filter=Q(expert__expert_assignments__panel=panel.pk, expert__expert_assignments__status=ACTIVE),
            )
        )
        .order_by("expert__full_name", "expert_id")
    )


def list_addable_experts(*, user: AnyUser, panel: Panel) -> QuerySet[ExpertProfile]:
    """Active experts of the pool who are not yet in the panel."""
    return (
        list_experts(user=user, active=True)
        .filter(user__is_active=True)
        .exclude(user__in=PanelMember.objects.filter(panel=panel).values("expert"))
    )


def list_panel_applications(*, panel: Panel) -> QuerySet[Application]:
    """Applications of the panel's project type in 专家评审 (or with assignments), with every assignment."""
    assignments = Prefetch(
        "expert_assignments",
        Assignment.objects.filter(panel=panel.pk)
        .select_related("expert", "replaced_by__expert")
        .order_by("status", "assigned_at", "pk"),
        to_attr="panel_assignments",
    )
    return (
        list_applications(call=panel.call_id, project_type=panel.project_type_id)
        .filter(Q(status=ApplicationStatus.EXPERT_REVIEW) | Q(expert_assignments__panel=panel.pk))
        .distinct()
        .select_related("unit", "unit__region")
        .prefetch_related(assignments)
        .order_by("number", "pk")
    )


def get_managed_assignment(*, user: AnyUser, public_id: uuid.UUID | str) -> Assignment:
    return Assignment.objects.select_related(
        "panel", "panel__call", "expert", "application", "application__unit", "application__unit__region"
    ).get(managed_panels_q(user, prefix="panel__"), public_id=public_id)


def list_replacement_options(*, panel: Panel, application: Application) -> list[tuple[User, int, str]]:
    """[(member, load, reason)] for taking over an assignment of `application`; reason "" means eligible.

    Members already reviewing the application are left out; the service checks the same rules again.
    """
    from .assignment import conflict_reason, load_state

    candidates, relations, active, ended, loads = load_state(panel, [application])
    taken = active.get(application.pk, set())
    users = map_users(ids=candidates)
    options: list[tuple[User, int, str]] = []
    for user_id, candidate in candidates.items():
        if user_id in taken:
            continue
        reason = conflict_reason(
            panel=panel, candidate=candidate, application=application, relations=relations, ended=ended
        )
        options.append((users[user_id], loads[user_id], reason))
    return sorted(options, key=lambda option: (bool(option[2]), option[1], option[0].pk))


def list_conflict_free_experts(
    *, city: Region | int, unit: Organisation, exclude_same_county: bool = False
) -> list[int]:
    """Ids of the users in `city`'s pool who may review an application of `unit` (回避, `rules.unit_conflict`).

    For reviews outside a panel (评估验收): in the pool (`rules.pool_experts_q`), not of the unit, no declared
    relation with it, and with `exclude_same_county` not of its county. Two queries, whatever the pool's size.
    """
    rows = (
        filter_users(query=pool_experts_q() & Q(expert_profile__city=city))
        .values_list("pk", "expert_profile__work_unit_id", "expert_profile__region_id")
        .distinct()
    )
    pool = [PoolExpert(*row) for row in rows]
    # A unit has few declared relations; filtering on the unit alone keeps the query small for any pool.
    relations = set(
        ExpertRelation.objects.filter(organisation=unit.pk).values_list("expert__user_id", "organisation_id")
    )
    return [
        expert.user_id
        for expert in pool
        if not unit_conflict(expert=expert, unit=unit, relations=relations, exclude_same_county=exclude_same_county)
    ]


# --- the expert's own work (scoring builds on these) -----------------------------------------------------------------


# --- for scoring: panels and assignments, the objects its sheets and progress hang on ------------------------------


def filter_panels(*, query: Q) -> QuerySet[Panel]:
    """Panels matching `query`, a Q scoring's rules build on Panel (who follows a panel's progress)."""
    return Panel.objects.filter(query)


def find_panel(*, call: Call | int, project_type: ProjectType | int) -> Panel | None:
    """The expert panel of `project_type` of `call`, or None."""
    return Panel.objects.filter(call=call, project_type=project_type).first()


def has_panel(*, call: Call | int, project_type: ProjectType | int) -> bool:
    """`project_type` of `call` has an expert panel (its proposed list then follows the ranking)."""
    return Panel.objects.filter(call=call, project_type=project_type).exists()


def is_panel_chair(*, user: AnyUser) -> bool:
    return Panel.objects.filter(chair=user.pk).exists()


def list_members_in_order(*, panel: Panel) -> QuerySet[PanelMember]:
    """The panel's members with the expert, in the order they were added (the progress table's columns)."""
    return PanelMember.objects.filter(panel=panel).select_related("expert").order_by("added_at", "pk")


def list_active_assignments_of(
    *,
    panel: Panel | None = None,
    project_type: ProjectType | int | None = None,
    call: Call | int | None = None,
    application: Application | int | None = None,
) -> QuerySet[Assignment]:
    """The active assignments of a panel, of the panels of a project type or call, of an application — or, with
    none given, every active assignment (the queryset a prefetch narrows to the rows it loads)."""
    assignments = Assignment.objects.filter(status=ACTIVE)
    if application is not None:
        assignments = assignments.filter(application=application)
    if panel is not None:
        assignments = assignments.filter(panel=panel)
    if project_type is not None:
        assignments = assignments.filter(panel__project_type=project_type)
    if call is not None:
        assignments = assignments.filter(panel__call=call)
    return assignments


def lock_assignment(*, assignment: Assignment) -> Assignment:
    """The assignment re-read under its row lock (only its own row), with its application, panel and expert: a
    score sheet's writes and a swap or 回避 of the same assignment run one after the other."""
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("application", "application__project_type", "application__unit", "panel", "expert")
        .get(pk=assignment.pk)
    )


def list_active_assignments(*, expert: AnyUser) -> QuerySet[Assignment]:
    """The expert's active assignments (评审任务), newest call first."""
    return (
        Assignment.objects.filter(own_assignments_q(expert))
        .select_related(
            "panel",
            "panel__call",
            "panel__project_type",
            "application",
            "application__unit",
            "application__unit__region",
            "application__project_type",
        )
        .order_by("-panel__call__published_on", "application__number", "pk")
    )


def get_active_assignment(*, expert: AnyUser, public_id: uuid.UUID | str) -> Assignment:
    return list_active_assignments(expert=expert).get(public_id=public_id)


def list_ended_assignments(*, expert: User) -> QuerySet[Assignment]:
    """The expert's recused or swapped assignments, for their record."""
    return (
        Assignment.objects.filter(expert=expert.pk)
        .exclude(status=ACTIVE)
        .select_related("application", "application__unit", "panel__call")
        .order_by("-ended_at", "pk")
    )


# --- 答辩 ----------------------------------------------------------------------------------------------------------


def list_sessions(*, panel: Panel) -> QuerySet[DefenceSession]:
    return DefenceSession.objects.filter(panel=panel).annotate(slot_count=Count("slots")).order_by("date", "start_time")


def get_session(*, user: AnyUser, public_id: uuid.UUID | str) -> DefenceSession:
    return DefenceSession.objects.select_related("panel", "panel__call", "panel__project_type", "panel__chair").get(
        managed_panels_q(user, prefix="panel__"), public_id=public_id
    )


def list_slots(*, session: DefenceSession) -> QuerySet[DefenceSlot]:
    return (
        DefenceSlot.objects.filter(session=session)
        .select_related("application", "application__unit", "application__unit__region")
        .order_by("sequence", "starts_at", "pk")
    )


def get_slot(*, user: AnyUser, public_id: uuid.UUID | str) -> DefenceSlot:
    return DefenceSlot.objects.select_related(
        "session", "session__panel", "session__panel__call", "application", "application__unit"
    ).get(managed_panels_q(user, prefix="session__panel__"), public_id=public_id)


def list_unit_defence_slots(*, user: AnyUser) -> QuerySet[DefenceSlot]:
    """The applicant unit's own slots once it has been told (答辩安排)."""
    if not user.is_authenticated or not user.has_role(Role.APPLICANT) or user.organisation_id is None:
        return DefenceSlot.objects.none()
    return (
        DefenceSlot.objects.filter(application__unit=user.organisation_id, notified_at__isnull=False)
        .select_related("session", "application", "application__project_type", "application__call")
        .order_by("-session__date", "starts_at")
    )


def list_panel_chairs(*, panel: Panel) -> QuerySet[User]:
    """The panel's members, who may chair it (by name)."""
    return filter_users(query=Q(panel_memberships__panel=panel)).order_by("full_name", "pk")


def count_applications_without_experts(*, user: AnyUser) -> Pending:
    """待分配评审专家 (core.todos): the administrator's city's applications in 专家评审 with no active assignment."""
    city = administered_city(user)
    if city is None:
        return count_pending(Assignment.objects.none())
    assigned = Assignment.objects.filter(application=OuterRef("pk"), status=ACTIVE)
    waiting = list_applications(city=city.pk, statuses=(ApplicationStatus.EXPERT_REVIEW,))
    return count_pending(waiting.exclude(Exists(assigned)))
