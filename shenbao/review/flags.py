"""What the review pages flag about an application beside the checklist (三1/三2 审核申报资质、材料):

- persons (身份证号码) another unit's application of the call also names (`applications.persons`): the queue counts
  them, the application's page lists them with the other application's number where the reviewer may see it;
- the unit's designations for the same project type that still bind it (`awards.selectors`: construction period,
  or the call's 申报间隔), a warning for the reviewer to weigh, not a refusal;
- the paper copies received against the call's number and the unit's signed scan (`applications.paper`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from shenbao.applications.selectors import (
    count_person_conflicts,
    describe_conflicts_for,
    find_person_conflicts,
    get_paper_status,
)
from shenbao.awards.selectors import map_standing_designations

if TYPE_CHECKING:
    from shenbao.accounts.rules import AnyUser
    from shenbao.applications.models import Application


def flag_queue_rows(*, applications: Iterable[Application]) -> None:
    """Set `person_conflicts` (a count) and `designations` (a list) on each application of a queue page: one query
    for the persons and one per call on the page for the designations, whatever the number of rows."""
    applications = list(applications)
    conflicts = count_person_conflicts(applications=applications)
    by_call: dict[int, list[Application]] = {}
    for application in applications:
        by_call.setdefault(application.call_id, []).append(application)
    today = timezone.localdate()
    designations: dict[int, dict[tuple[int, str], list[Any]]] = {
        call_id: map_standing_designations(
            call=rows[0].call,
            units_and_codes=[(row.unit_id, row.project_type.code) for row in rows],
            today=today,
        )
        for call_id, rows in by_call.items()
    }
    for application in applications:
        application.person_conflicts = conflicts.get(application.pk, 0)
        key = (application.unit_id, application.project_type.code)
        application.designations = designations[application.call_id].get(key, [])


def get_application_flags(*, application: Application, user: AnyUser) -> dict[str, Any]:
    """The review page's flags for one application (see the module docstring)."""
    pairs = [(application.unit_id, application.project_type.code)]
    designations = map_standing_designations(call=application.call, units_and_codes=pairs, today=timezone.localdate())
    conflicts = find_person_conflicts(application=application)
    return {
        "person_conflicts": describe_conflicts_for(user=user, conflicts=conflicts),
        "designations": designations.get(pairs[0], []),
        "paper": get_paper_status(application=application),
    }
