"""已认定单位再次申报: whether the unit starting an application is already designated for the same project type.

Designations are the awards app's, which comes after this one: it is named by dotted path and imported on use
(docs/ARCHITECTURE.md, "earlier app … dotted name"), so this app warns the unit without reading awards' tables.
The warning never refuses: the call's reviewers weigh it (they see the same facts beside the checklist).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from shenbao.calls.models import Call
    from shenbao.organisations.models import Organisation

STANDING_DESIGNATIONS = "shenbao.awards.selectors.list_standing_designations"


def list_standing_designations(
    *, call: Call, unit: Organisation, project_type_code: str, today: dt.date | None = None
) -> list[Any]:
    """The unit's designations for the same project type that still bind it (awards' `StandingDesignation`s)."""
    lookup = import_string(STANDING_DESIGNATIONS)
    return lookup(call=call, unit_id=unit.pk, project_type_code=project_type_code, today=today or timezone.localdate())
