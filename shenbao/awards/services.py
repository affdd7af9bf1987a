"""Writes of 授牌 (notice 三6): the designation document's number and date, and the award of each unit.

`award` goes through `applications.services.fire_transition` (guards of the notice: closed, no pending
objection); its effect `effects.issue_plaque` numbers the plaque. Designation opens the funding record: the
funding issue reads `selectors.list_designated_applications(call=...)`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from shenbao.applications.services import fire_transition
from shenbao.audit.services import record_event
from shenbao.calls.formatting import join_project_type_names
from shenbao.calls.rules import administers_call
from shenbao.opinions.services import BatchOutcome, ItemResult

from .models import Designation

if TYPE_CHECKING:
    from shenbao.accounts.models import User
    from shenbao.applications.models import Application
    from shenbao.calls.models import Call, ProjectType


def designation_title(*, call: Call, project_type: ProjectType | None = None) -> str:
    """关于命名2022年市级技师工作站和技能人才培养基地的通知 (the shared 市级 is said once)."""
    names = [project_type.name] if project_type else [item.name for item in call.project_types.order_by("sort_order")]
    return f"关于命名{call.year}年{join_project_type_names(names)}的通知"


def save_designation(
    *,
    call: Call,
    actor: User,
    document_number: str,
    issued_on: dt.date | None,
    project_type: ProjectType | None = None,
    request: HttpRequest | None = None,
) -> Designation:
    """Create or update the designation (命名文件) of `call` (or of one project type).

    The document number may be corrected at any time (it is printed when the PDF is generated); the date is fixed
    once a plaque carries it.
    """
    if not administers_call(actor, call):
        raise PermissionDenied(_("只有本市申报管理员可以填写命名文件。"))
    if issued_on is None:
        raise ValidationError(_("请填写发文日期。"), code="issued_on_required")
    document_number = (document_number or "").strip()
    with transaction.atomic():
        # No join in a locking query (PostgreSQL refuses FOR UPDATE on the nullable side of an outer join).
        designations = Designation.objects.select_for_update().filter(call=call).order_by("pk")
        designation = designations.filter(project_type=project_type).first() if project_type else None
        if project_type is None:
            designation = designations.filter(project_type__isnull=True).first()
        if designation is None:
            designation = Designation.objects.create(
                call=call,
                project_type=project_type,
                title=designation_title(call=call, project_type=project_type),
                document_number=document_number,
                issued_on=issued_on,
                issuing_bodies=list(call.issuing_bodies or []),
                created_by=actor,
            )
        else:
            if designation.issued_on != issued_on and designation.plaques.exists():
                raise ValidationError(_("已有单位授牌，发文日期不能再修改。"), code="issued_on_fixed")
            designation.document_number = document_number
            designation.issued_on = issued_on
            designation.save(update_fields=["document_number", "issued_on"])
        record_event(
            event="awards:designation",
            actor=actor,
            target=designation,
            request=request,
            details={"call": call.slug, "document_number": document_number, "issued_on": issued_on.isoformat()},
        )
    return designation


def award_applications(
    *,
    applications: Iterable[Application],
    actor: User,
    designation: Designation,
    at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> BatchOutcome:
    """授牌 each application (its own transaction), naming it in `designation`; returns a BatchOutcome."""
    at = at or timezone.now()
    outcome = BatchOutcome()
    for application in applications:
        try:
            fire_transition(
                application=application,
                name="award",
                actor=actor,
                payload={"designation": designation.pk},
                at=at,
                request=request,
            )
        except (ValidationError, PermissionDenied) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            outcome.results.append(ItemResult(application, "award", False, [str(message) for message in messages]))
        else:
            outcome.results.append(ItemResult(application, "award", True))
    return outcome
