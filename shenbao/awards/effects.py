"""Effect of the `award` step: the unit's plaque (牌匾), numbered per project type, in a designation document."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shenbao.calls.defaults import default_plaque_prefix
from shenbao.calls.selectors import lock_project_type

from .models import Designation, Plaque
from .services import designation_title

if TYPE_CHECKING:
    from shenbao.accounts.models import User
    from shenbao.applications.models import Application
    from shenbao.calls.models import ProjectType


def plaque_prefix(project_type: ProjectType) -> str:
    """The call file's `plaque_number_prefix` (e.g. JCJS-2022-01 for a workstation, JCJD-2022-01 for a base).

    Rows made outside a call file have none; they get the loader's default for the code.
    """
    return project_type.plaque_number_prefix or default_plaque_prefix(project_type.code)


def _designation_for(
    application: Application, payload: Mapping[str, Any] | None, actor: User, at: dt.datetime
) -> Designation:
    """The designation named in the payload, else the project type's, else the call-wide one (created if none)."""
    designations = Designation.objects.filter(call=application.call_id)
    chosen = (payload or {}).get("designation")
    if chosen:
        fitting = designations.filter(Q(project_type__isnull=True) | Q(project_type=application.project_type_id))
        designation = fitting.filter(pk=chosen).first()
        if designation is None:
            raise ValidationError(_("所选命名文件不属于该申报的项目类别。"), code="wrong_designation")
        return designation
    own = designations.filter(project_type=application.project_type_id).first()
    if own is not None:
        return own
    call_wide, _created = Designation.objects.get_or_create(
        call=application.call,
        project_type=None,
        defaults={
            "title": designation_title(call=application.call),
            "issued_on": timezone.localtime(at).date(),
            "issuing_bodies": list(application.call.issuing_bodies or []),
            "created_by": actor,
        },
    )
    return call_wide


def issue_plaque(*, application: Application, actor: User, payload: Mapping[str, Any], at: dt.datetime) -> None:
    designation = _designation_for(application, payload, actor, at)
    # Numbers follow the order of the awards within a project type; its row lock keeps two awards apart.
    project_type = lock_project_type(project_type=application.project_type_id)
    last = Plaque.objects.filter(application__project_type=project_type).aggregate(last=Max("sequence"))["last"]
    sequence = (last or 0) + 1
    Plaque.objects.create(
        application=application,
        designation=designation,
        title=project_type.plaque_title,
        number=f"{plaque_prefix(project_type)}-{application.call.year}-{sequence:02d}",
        sequence=sequence,
        issued_on=designation.issued_on,
    )
