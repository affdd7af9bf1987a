"""Effects of the workflow transitions, run in order inside `services.fire_transition`'s transaction.

Signature: `effect(*, application, actor, payload, at) -> None`. An effect changes the locked application in
memory (fire_transition saves it) or writes related rows; raising ValidationError aborts the whole step.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.translation import gettext as _

from shenbao.core.days import parse_due_date
from shenbao.organisations.selectors import get_first_review_body

from .materials import list_current_materials
from .metrics import evaluate_eligibility
from .models import Application, ApplicationVersion
from .persons import index_submitted_persons

if TYPE_CHECKING:
    from shenbao.accounts.models import User


def route_to_first_review_body(
    *, application: Application, actor: User, payload: Mapping[str, Any] | None, at: dt.datetime
) -> None:
    """三1: the county bureau, or the competent department of a city-direct unit, derived again from the unit."""
    body = get_first_review_body(unit=application.unit)
    if body is None:
        unit = application.unit
        where = _("主管部门") if unit.is_city_direct else _("「%(region)s」的人社部门") % {"region": unit.region}
        raise ValidationError(
            _("系统中没有找到本单位的资格初审单位（%(where)s），暂不能提交。请联系市人社局技能办完善配置后再提交。")
            % {"where": where},
            code="no_first_review_body",
        )
    application.first_review_body = body


def record_submission(
    *, application: Application, actor: User, payload: Mapping[str, Any] | None, at: dt.datetime
) -> None:
    application.submitted_at = at
    application.resubmission_due = None
    application.eligibility = evaluate_eligibility(application=application)


def _material_entries(application: Application) -> list[dict[str, Any]]:
    return [
        {
            "name": material.original_name,
            "requirement": material.requirement.code,
            "requirement_name": material.requirement.name,
            "sha256": material.sha256,
            "size": material.size,
        }
        for material in list_current_materials(application=application)
    ]


def snapshot_version(
    *, application: Application, actor: User, payload: Mapping[str, Any] | None, at: dt.datetime
) -> None:
    """Keep exactly what was submitted (版本): the form, the list of current files and the eligibility result."""
    last = application.versions.aggregate(last=Max("sequence"))["last"] or 0
    ApplicationVersion.objects.create(
        application=application,
        sequence=last + 1,
        form_data=copy.deepcopy(application.form_data),
        materials=_material_entries(application),
        eligibility=copy.deepcopy(application.eligibility) or evaluate_eligibility(application=application),
        submitted_by=actor,
        submitted_at=at,
    )


def index_persons(*, application: Application, actor: User, payload: Mapping[str, Any] | None, at: dt.datetime) -> None:
    """The blind index of every person named in the version being submitted (`persons.py`)."""
    index_submitted_persons(application=application)


def set_resubmission_due(
    *, application: Application, actor: User, payload: Mapping[str, Any] | None, at: dt.datetime
) -> None:
    application.resubmission_due = parse_due_date((payload or {}).get("resubmission_due"))


EFFECTS = {
    "route_to_first_review_body": route_to_first_review_body,
    "record_submission": record_submission,
    "snapshot_version": snapshot_version,
    "index_persons": index_persons,
    "set_resubmission_due": set_resubmission_due,
}
