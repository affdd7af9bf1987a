"""The experts' scoring API (django-ninja router mounted at /api/scoring/ by `shenbao.api`).

Same scoping and services as the pages: an expert lists their active assignments, reads their own sheet, saves
a draft and submits. Another expert's assignment answers 404; a submitted sheet answers 409 with a Chinese
message; refused points answer 400 naming each rubric item. Session authentication with CSRF (django_auth).
"""

import datetime
import uuid
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from shenbao.applications.workflow import ApplicationStatus
from shenbao.core.http import or_404

from . import selectors, services
from .rules import is_expert_user

router = Router(tags=["专家评分"])

LOCKED_CODES = frozenset({"submitted", "not_in_review", "assignment_ended", "stale_revision"})


class AssignmentOut(Schema):
    id: uuid.UUID
    application_number: str
    unit: str
    county: str
    project_type: str
    panel: str
    sheet_status: str  # "new" (never saved), "draft" or "submitted"


class ItemOut(Schema):
    code: str
    name: str
    group: str
    description: str
    max_points: Decimal
    points: Decimal | None
    comment: str


class SheetOut(Schema):
    assignment: uuid.UUID
    status: str
    editable: bool
    revision: int
    step: Decimal
    overall_opinion: str
    total: Decimal | None
    material_total: Decimal | None
    defence_total: Decimal | None
    submitted_at: datetime.datetime | None
    items: list[ItemOut]


class EntryIn(Schema):
    # Text or a number: the services read either exactly and answer refusals in Chinese.
    points: str | int | float | None = None
    comment: str = ""


class SheetIn(Schema):
    revision: int
    overall_opinion: str | None = None
    entries: dict[str, EntryIn] = {}


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


def _expert(request):
    if not is_expert_user(request.auth):
        raise HttpError(403, _("只有评审专家可以使用评分接口。"))
    return request.auth


def _assignment(request, public_id):
    # The scoped look-up alone: for anyone but the assigned expert the assignment does not exist (404).
    return or_404(selectors.get_my_assignment, user=request.auth, public_id=public_id)


def _sheet_out(assignment):
    sheet = selectors.sheet_of(assignment)
    application = assignment.application
    rows = selectors.list_sheet_rows(project_type=application.project_type, sheet=sheet)
    submitted = sheet is not None and sheet.is_submitted
    return {
        "assignment": assignment.public_id,
        "status": sheet.status if sheet else "new",
        "editable": not submitted and application.status == ApplicationStatus.EXPERT_REVIEW,
        "revision": sheet.revision if sheet else 0,
        "step": application.project_type.score_step,
        "overall_opinion": sheet.overall_opinion if sheet else "",
        "total": sheet.total if sheet else None,
        "material_total": sheet.material_total if sheet else None,
        "defence_total": sheet.defence_total if sheet else None,
        "submitted_at": sheet.submitted_at if sheet else None,
        "items": [
            {
                "code": row.item.code,
                "name": row.item.name,
                "group": row.item.group,
                "description": row.item.description,
                "max_points": row.item.max_points,
                "points": row.points,
                "comment": row.comment,
            }
            for row in rows
        ],
    }


def _refusal(error):
    """The response to a service's refusal: 403, 400 (per rubric item) or 409 (the sheet is locked or stale)."""
    if isinstance(error, PermissionDenied):
        return Status(403, {"detail": str(error) or _("无权操作。")})
    if hasattr(error, "error_dict"):
        return Status(400, {"detail": _("评分表未保存，请按提示修改。"), "errors": error.message_dict})
    status = 409 if getattr(error, "code", None) in LOCKED_CODES else 400
    return Status(status, {"detail": "".join(error.messages)})


def _write(request, public_id, payload, *, submit):
    assignment = _assignment(request, public_id)
    arguments = {
        "assignment": assignment,
        "expert": request.auth,
        "scores": {code: entry.dict() for code, entry in payload.entries.items()},
        "overall_opinion": payload.overall_opinion,
        "revision": payload.revision,
    }
    try:
        if submit:
            services.submit_sheet(**arguments, request=request)
        else:
            services.save_sheet_draft(**arguments)
    except (ValidationError, PermissionDenied) as error:
        return _refusal(error)
    return Status(200, _sheet_out(_assignment(request, public_id)))


@router.get("/assignments", response=list[AssignmentOut], summary="我的评审任务", url_name="scoring_assignments")
def list_assignments(request):
    assignments = selectors.list_my_assignments(user=_expert(request))
    return [
        {
            "id": assignment.public_id,
            "application_number": assignment.application.number,
            "unit": assignment.application.unit.name,
            "county": assignment.application.unit.region.name if assignment.application.unit.region_id else "",
            "project_type": assignment.application.project_type.name,
            "panel": assignment.panel.name,
            "sheet_status": getattr(selectors.sheet_of(assignment), "status", "new"),
        }
        for assignment in assignments
    ]


@router.get("/assignments/{uuid:public_id}/sheet", response=SheetOut, summary="我的评分表", url_name="scoring_sheet")
def get_sheet(request, public_id: uuid.UUID):
    return _sheet_out(_assignment(request, public_id))


@router.put(
    "/assignments/{uuid:public_id}/sheet",
    response={200: SheetOut, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut},
    summary="保存评分草稿",
    url_name="scoring_sheet_save",
)
def save_draft(request, public_id: uuid.UUID, payload: SheetIn):
    return _write(request, public_id, payload, submit=False)


@router.post(
    "/assignments/{uuid:public_id}/sheet/submit",
    response={200: SheetOut, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut},
    summary="提交评分表",
    url_name="scoring_sheet_submit",
)
def submit(request, public_id: uuid.UUID, payload: SheetIn):
    return _write(request, public_id, payload, submit=True)
