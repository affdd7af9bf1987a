"""Reads of the ranking (排名): the candidates of a project type with their submitted sheets' scores, the decided
tie-breaks, and the ranking itself (`ranking.rank_candidates`). Re-exported by `selectors`, the app's public
surface.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone

from shenbao.applications.selectors import list_applications
from shenbao.applications.workflow import ApplicationStatus
from shenbao.calls.aggregation import rule_of
from shenbao.core.fragment_cache import cached_value
from shenbao.experts import selectors as expert_selectors

from .models import ScoreSheet, TieBreak, TieBreakEntry
from .ranking import Candidate, Ranking, SheetScore, rank_candidates

if TYPE_CHECKING:
    from shenbao.calls.models import Call, ProjectType

ZERO = Decimal("0.00")
SUBMITTED = ScoreSheet.Status.SUBMITTED


@dataclass(frozen=True)
class RankedApplication:
    """What a ranking holds of an application (a `Candidate`'s item): what its readers show and check, read as
    values. A large call ranks thousands: as model instances with their units, building them (and decrypting each
    unit's telephone) was most of the ranking's time, and the page keeps its ranking in the cache."""

    pk: int
    public_id: uuid.UUID
    number: str
    status: str
    unit_name: str
    county: str  # the unit's county (所在县（市、区）), "" when the unit has none


RANKED_COLUMNS = ("pk", "public_id", "number", "status", "unit__name", "unit__region__name")


def _ranked_applications(*, call: Call, project_type: ProjectType) -> list[RankedApplication]:
    """Applications of the type waiting in 专家评审, and those scored earlier (still shown after the list is set)."""
    scored = expert_selectors.list_active_assignments_of(project_type=project_type).values("application")
    rows = (
        list_applications(call=call, project_type=project_type)
        .filter(Q(status=ApplicationStatus.EXPERT_REVIEW) | Q(pk__in=scored))
        .order_by("number")
        .values_list(*RANKED_COLUMNS)
    )
    return [
        RankedApplication(pk, public_id, number, status, unit_name, county or "")
        for pk, public_id, number, status, unit_name, county in rows
    ]


def _active_sheets(*, applications: list[RankedApplication]) -> dict[int, list[tuple[str | None, SheetScore]]]:
    """{application id: [(its sheet's status or None before the first save, the sheet's scores)] per active
    assignment}: one query of the few columns the ranking reads, without a model instance per assignment."""
    rows = (
        expert_selectors.list_active_assignments_of()
        .filter(application__in=[application.pk for application in applications])
        .order_by("pk")
        .values_list(
            "application_id",
            "score_sheet__status",
            "score_sheet__total",
            "score_sheet__material_total",
            "score_sheet__defence_total",
        )
    )
    sheets: dict[int, list[tuple[str | None, SheetScore]]] = {}
    for application_id, status, total, material, defence in rows:
        score = SheetScore(total=total or ZERO, material=material or ZERO, defence=defence or ZERO)
        sheets.setdefault(application_id, []).append((status, score))
    return sheets


def list_ranking_candidates(*, call: Call, project_type: ProjectType) -> list[Candidate]:
    """The candidates of the ranking: each application with its submitted sheets' scores (a part the rubric has no
    item for, as when a call file scores 资料审查 alone, counts as 0, so such a call still ranks on what it scores)
    and the number of sheets it expects (its active assignments)."""
    applications = _ranked_applications(call=call, project_type=project_type)
    sheets = _active_sheets(applications=applications)
    candidates: list[Candidate] = []
    for application in applications:
        assigned = sheets.get(application.pk, [])
        candidates.append(
            Candidate(
                key=str(application.public_id),
                sheets=tuple(score for status, score in assigned if status == SUBMITTED),
                expected=len(assigned),
                order=application.number,
                item=application,
            )
        )
    return candidates


def load_tie_breaks(*, project_type: ProjectType) -> dict[frozenset[str], list[str]]:
    """{frozenset of public ids: [public ids, decided order]}; the latest decision about a group wins."""
    decisions: dict[frozenset[str], list[str]] = {}
    tie_breaks = (
        TieBreak.objects.filter(project_type=project_type)
        .prefetch_related("entries__application")
        .order_by("-decided_at", "-pk")
    )
    for tie_break in tie_breaks:
        order = [str(entry.application.public_id) for entry in sorted(tie_break.entries.all(), key=_position)]
        decisions.setdefault(frozenset(order), order)
    return decisions


def _position(entry: TieBreakEntry) -> int:
    return entry.position


def get_ranking(*, call: Call, project_type: ProjectType) -> Ranking:
    """The ranking of `project_type` by the call's aggregation method and the type's pass line (see `ranking`),
    as it stands now: what the services decide on, under the project type's lock."""
    return rank_candidates(
        candidates=list_ranking_candidates(call=call, project_type=project_type),
        rule=rule_of(call),
        pass_line=project_type.pass_line,
        tie_breaks=load_tie_breaks(project_type=project_type),
    )


def get_shown_ranking(*, call: Call, project_type: ProjectType) -> Ranking:
    """`get_ranking` for the ranking page, summarised: the same for every reader of the type, so kept until the
    next audited change (a sheet submitted or reopened, a tie decided, a step; `core.fragment_cache`). At province
    scale a large type's ranking took most of its page's time to build."""
    return cached_value(
        name=f"ranking:{project_type.pk}",
        at=timezone.now(),
        build=lambda: get_ranking(call=call, project_type=project_type).summarised(),
    )


def list_tie_breaks(*, project_type: ProjectType) -> QuerySet[TieBreak]:
    return (
        TieBreak.objects.filter(project_type=project_type)
        .select_related("decided_by")
        .prefetch_related("entries__application__unit")
        .order_by("-decided_at", "-pk")
    )
