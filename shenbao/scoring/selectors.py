"""Reads of 专家评分: the expert's assignments and sheet, panel progress, the ranking; every one scoped by `rules`.

Look-ups raise DoesNotExist for objects outside the user's scope (views answer 404). Lists load their related
rows in a fixed number of queries, whatever the number of rows.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from shenbao.applications.materials import list_material_rows
from shenbao.applications.models import Application, ApplicationMaterial
from shenbao.applications.selectors import get_current_material, list_applications
from shenbao.applications.workflow import ApplicationStatus
from shenbao.calls import selectors as calls_selectors
from shenbao.calls.models import RubricItem
from shenbao.core.pending import count_pending
from shenbao.experts import selectors as expert_selectors
from shenbao.experts.models import Assignment, Panel
from shenbao.experts.selectors import list_active_assignments

from .models import PanelReminder, ScoreSheet, SheetReopening
from .ranking_selectors import RankedApplication as RankedApplication
from .ranking_selectors import get_ranking as get_ranking
from .ranking_selectors import get_shown_ranking as get_shown_ranking
from .ranking_selectors import list_ranking_candidates as list_ranking_candidates
from .ranking_selectors import list_tie_breaks as list_tie_breaks
from .ranking_selectors import load_tie_breaks as load_tie_breaks
from .rules import (
    printable_sheets_q,
    reopenable_sheets_q,
    visible_panels_q,
)

if TYPE_CHECKING:
    from shenbao.accounts.models import User
    from shenbao.accounts.rules import AnyUser
    from shenbao.applications.materials import MaterialRow
    from shenbao.calls.models import ProjectType
    from shenbao.core.pending import Pending

ACTIVE = Assignment.Status.ACTIVE
ZERO = Decimal("0.00")
SUBMITTED = ScoreSheet.Status.SUBMITTED


def has_submitted_sheet(*, assignment: Assignment) -> bool:
    """The expert submitted a score sheet on `assignment`, which makes it final (experts' swap and 回避 refuse)."""
    return ScoreSheet.objects.filter(assignment=assignment.pk, status=SUBMITTED).exists()


def list_rubric_items(*, project_type: ProjectType) -> QuerySet[RubricItem]:
    """The selection rubric (专家评审评分细则) of a project type, from the call file, in its order."""
    return calls_selectors.list_rubric_items(project_type=project_type, rubric=RubricItem.Rubric.SELECTION)


def list_my_assignments(*, user: AnyUser) -> QuerySet[Assignment]:
    """我的评审任务: `user`'s active assignments (the experts app's scoping), each with its sheet."""
    return list_active_assignments(expert=user).select_related("application__call", "score_sheet")


def get_my_assignment(*, user: AnyUser, public_id: uuid.UUID | str) -> Assignment:
    """`user`'s active assignment `public_id`, else Assignment.DoesNotExist (another expert's: 404)."""
    return list_my_assignments(user=user).get(public_id=public_id)


def sheet_of(assignment: Assignment) -> ScoreSheet | None:
    """The assignment's sheet, or None before the first save (the reverse one-to-one raises otherwise)."""
    return getattr(assignment, "score_sheet", None)


@dataclass
class SheetRow:
    item: RubricItem
    points: Decimal | None = None
    comment: str = ""


@dataclass
class SheetGroup:
    code: str
    label: str
    rows: list[SheetRow] = field(default_factory=list)

    @property
    def max_points(self) -> Decimal:
        return sum((row.item.max_points for row in self.rows), Decimal(0))

    @property
    def points(self) -> Decimal | None:
        values = [row.points for row in self.rows if row.points is not None]
        return sum(values, Decimal(0)) if values else None


def list_sheet_rows(*, project_type: ProjectType, sheet: ScoreSheet | None) -> list[SheetRow]:
    """Every rubric item with the sheet's points and comment (blank before the first save), in two queries."""
    entries = {entry.rubric_item_id: entry for entry in sheet.entries.all()} if sheet is not None else {}
    rows: list[SheetRow] = []
    for item in list_rubric_items(project_type=project_type):
        entry = entries.get(item.pk)
        rows.append(SheetRow(item, entry.points if entry else None, entry.comment if entry else ""))
    return rows


def group_sheet_rows(rows: Iterable[SheetRow]) -> list[SheetGroup]:
    """Rows grouped by 评分环节 (资料审查, 答辩) in the order the rubric first names each group."""
    groups: dict[str, SheetGroup] = {}
    labels = dict(RubricItem.Group.choices)
    for row in rows:
        group = groups.setdefault(row.item.group, SheetGroup(row.item.group, str(labels.get(row.item.group, ""))))
        group.rows.append(row)
    return list(groups.values())


def list_reopenings(*, sheet: ScoreSheet | None) -> QuerySet[SheetReopening]:
    if sheet is None:
        return SheetReopening.objects.none()
    return SheetReopening.objects.filter(sheet=sheet).select_related("reopened_by").order_by("reopened_at", "pk")


def list_assignment_materials(*, assignment: Assignment) -> list[MaterialRow]:
    """The application's material requirements with their current files (the expert reads, never edits)."""
    return list_material_rows(application=assignment.application)


def get_assignment_material(*, assignment: Assignment, public_id: uuid.UUID | str) -> ApplicationMaterial:
    """A current file of the assigned application, else ApplicationMaterial.DoesNotExist (→ 404)."""
    return get_current_material(application=assignment.application_id, public_id=public_id)


def _sheets() -> QuerySet[ScoreSheet]:
    return ScoreSheet.objects.select_related(
        "assignment",
        "assignment__expert",
        "assignment__expert__organisation",
        "assignment__panel",
        "assignment__panel__call",
        "assignment__application",
        "assignment__application__call",
        "assignment__application__project_type",
        "assignment__application__unit",
        "assignment__application__unit__region",
    )


def get_printable_sheet(*, user: AnyUser, public_id: uuid.UUID | str) -> ScoreSheet:
    """A sheet whose points `user` may read (own, or the administrator's city), else ScoreSheet.DoesNotExist."""
    return _sheets().filter(printable_sheets_q(user)).get(public_id=public_id)


def get_reopenable_sheet(*, user: AnyUser, public_id: uuid.UUID | str) -> ScoreSheet:
    """A sheet `user` may reopen (chair of its panel, not their own; or the administrator), else DoesNotExist."""
    return _sheets().filter(reopenable_sheets_q(user)).get(public_id=public_id)


# --- Panels and progress ------------------------------------------------------------------------------------------


def list_visible_panels(*, user: AnyUser) -> QuerySet[Panel]:
    """The panels `user` follows, with how many active assignments exist and how many sheets are submitted."""
    return (
        expert_selectors.filter_panels(query=visible_panels_q(user))
        .select_related("call", "project_type", "chair")
        .annotate(
            assignment_count=Count("assignments", filter=Q(assignments__status=ACTIVE), distinct=True),
            submitted_count=Count(
                "assignments",
                filter=Q(assignments__status=ACTIVE, assignments__score_sheet__status=SUBMITTED),
                distinct=True,
            ),
        )
        .order_by("-call__published_on", "project_type__sort_order", "pk")
    )


def get_visible_panel(*, user: AnyUser, public_id: uuid.UUID | str) -> Panel:
    return (
        expert_selectors.filter_panels(query=visible_panels_q(user))
        .select_related("call", "project_type", "chair")
        .get(public_id=public_id)
    )


@dataclass
class ProgressCell:
    assignment: Assignment | None = None

    @property
    def sheet(self) -> ScoreSheet | None:
        return sheet_of(self.assignment) if self.assignment else None

    @property
    def state(self) -> str:
        """ "none" (not assigned), "new" (not opened), "draft" or "submitted"."""
        if self.assignment is None:
            return "none"
        sheet = self.sheet
        return sheet.status if sheet else "new"


@dataclass
class ProgressRow:
    application: Application
    cells: list[ProgressCell]

    @property
    def submitted(self) -> int:
        return sum(1 for cell in self.cells if cell.state == SUBMITTED)

    @property
    def assigned(self) -> int:
        return sum(1 for cell in self.cells if cell.assignment is not None)


@dataclass
class PanelProgress:
    panel: Panel
    experts: list[User]
    rows: list[ProgressRow]
    last_reminder: PanelReminder | None

    @property
    def late_experts(self) -> list[User]:
        """Experts with an unsubmitted sheet of an application still in 专家评审, in column order."""
        late: list[User] = []
        for index, expert in enumerate(self.experts):
            if any(_is_late(row.cells[index], row.application) for row in self.rows):
                late.append(expert)
        return late


def _is_late(cell: ProgressCell, application: Application) -> bool:
    return (
        cell.assignment is not None
        and cell.state != SUBMITTED
        and application.status == ApplicationStatus.EXPERT_REVIEW
    )


def get_panel_progress(*, panel: Panel) -> PanelProgress:
    """谁评了什么: one row per application with active assignments, one column per expert (panel members first).

    Only states are shown, never points. Four queries whatever the size of the panel.
    """
    assignments = list(
        expert_selectors.list_active_assignments_of(panel=panel)
        .select_related("application", "application__unit", "application__unit__region", "expert", "score_sheet")
        .order_by("application__number", "pk")
    )
    members = [member.expert for member in expert_selectors.list_members_in_order(panel=panel)]
    experts = {expert.pk: expert for expert in members}
    for assignment in assignments:
        experts.setdefault(assignment.expert_id, assignment.expert)
    columns = {expert_id: index for index, expert_id in enumerate(experts)}
    rows: dict[int, ProgressRow] = {}
    for assignment in assignments:
        row = rows.get(assignment.application_id)
        if row is None:
            row = rows[assignment.application_id] = ProgressRow(
                assignment.application, [ProgressCell() for _ in columns]
            )
        row.cells[columns[assignment.expert_id]] = ProgressCell(assignment)
    last = PanelReminder.objects.filter(panel=panel).select_related("sent_by").order_by("-sent_at", "-pk").first()
    return PanelProgress(panel=panel, experts=list(experts.values()), rows=list(rows.values()), last_reminder=last)


def list_late_assignments(*, panel: Panel) -> QuerySet[Assignment]:
    """Active assignments of `panel` whose sheet is not submitted while the application is in 专家评审."""
    return (
        expert_selectors.list_active_assignments_of(panel=panel)
        .filter(application__status=ApplicationStatus.EXPERT_REVIEW)
        .exclude(score_sheet__status=SUBMITTED)
        .select_related("expert", "application")
        .order_by("expert_id", "application__number")
    )


# --- 待办 (core.todos) ---------------------------------------------------------------------------------------------


def count_sheets_to_submit(*, user: AnyUser) -> Pending:
    """评分表待提交: the expert's assignments in 专家评审 whose sheet is not submitted."""
    waiting = list_active_assignments(expert=user).filter(application__status=ApplicationStatus.EXPERT_REVIEW)
    return count_pending(waiting.exclude(score_sheet__status=SUBMITTED))


def count_panels_ready_for_ranking(*, user: AnyUser) -> Pending:
    """评分汇总待确定: panels whose every active sheet is submitted while their applications wait in 专家评审."""
    waiting = list_applications(statuses=(ApplicationStatus.EXPERT_REVIEW,)).filter(
        call=OuterRef("call"), project_type=OuterRef("project_type")
    )
    panels = (
        expert_selectors.filter_panels(query=visible_panels_q(user))
        .filter(Exists(waiting))
        .annotate(
            assignment_count=Count("assignments", filter=Q(assignments__status=ACTIVE), distinct=True),
            submitted_count=Count(
                "assignments",
                filter=Q(assignments__status=ACTIVE, assignments__score_sheet__status=SUBMITTED),
                distinct=True,
            ),
        )
        .filter(assignment_count__gt=0, submitted_count=F("assignment_count"))
    )
    return count_pending(panels)


def list_final_scores(*, project_type_ids: Iterable[int]) -> dict[int, Decimal]:
    """{application id: its final score in its ranking} for the rankings of the given project types: the staff
    list's score filter (`applications.search_selectors`, which names this by dotted path: scoring imports
    applications). A ranking's queries do not grow with its rows; one ranking per project type."""
    scores: dict[int, Decimal] = {}
    for project_type in calls_selectors.list_project_types_by_id(ids=project_type_ids):
        for row in get_ranking(call=project_type.call, project_type=project_type).rows:
            scores[row.candidate.item.pk] = row.final
    return scores
