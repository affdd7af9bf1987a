"""Applications read through `/api/v1/applications` (router mounted by `shenbao.api`).

Scoped exactly like the staff pages: the list and the detail come from `visible_applications_q` for the caller
(a service account reads as a member of its body holding its role), so another city's application answers 404.
Only what a list row of the pages shows: no form content, no person, no ID number, no phone.
"""

import datetime
import uuid

from django.core.paginator import Paginator
from ninja import Field, Query, Router, Schema

from shenbao.accounts.rules import get_city_of_user
from shenbao.calls.selectors import get_published_call_of_city
from shenbao.core.http import or_404

from . import selectors
from .workflow import ApplicationStatus

router = Router(tags=["申报"])


class ApplicationOut(Schema):
    id: uuid.UUID
    number: str
    call: str
    project_type: str
    project_type_name: str
    unit: str
    county: str
    first_review_body: str
    status: ApplicationStatus
    status_label: str
    submitted_at: datetime.datetime | None
    updated_at: datetime.datetime


class StepOut(Schema):
    label: str
    state: str  # done / current / pending / stopped / skipped


class ApplicationDetailOut(ApplicationOut):
    progress: list[StepOut]


class ApplicationPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ApplicationOut]


class ApplicationFilters(Schema):
    call: str | None = Field(None, description="申报通知标识（slug）")
    status: ApplicationStatus | None = None
    page: int = Field(1, ge=1, le=100000)
    page_size: int = Field(50, ge=1, le=200)


def _row(application) -> dict:
    unit = application.unit
    return {
        "id": application.public_id,
        "number": application.number,
        "call": application.call.slug,
        "project_type": application.project_type.code,
        "project_type_name": application.project_type.name,
        "unit": unit.name,
        "county": unit.region.name if unit.region_id else "",
        "first_review_body": application.first_review_body.name if application.first_review_body_id else "",
        "status": application.status,
        "status_label": str(application.get_status_display()),
        "submitted_at": application.submitted_at,
        "updated_at": application.updated_at,
    }


@router.get("/applications", response=ApplicationPage, summary="申报列表", url_name="v1_applications")
def list_applications(request, filters: Query[ApplicationFilters]):
    call = None
    if filters.call:
        call = or_404(get_published_call_of_city, city=get_city_of_user(request.auth), slug=filters.call)
    rows = selectors.list_visible_application_rows(user=request.auth, call=call, status=filters.status)
    page = Paginator(rows, filters.page_size).get_page(filters.page)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "page_size": filters.page_size,
        "results": [_row(application) for application in page.object_list],
    }


@router.get(
    "/applications/{uuid:public_id}", response=ApplicationDetailOut, summary="申报详情", url_name="v1_application"
)
def get_application(request, public_id: uuid.UUID):
    application = or_404(selectors.get_visible_application, user=request.auth, public_id=public_id)
    progress = selectors.get_progress(application=application)
    return {
        **_row(application),
        "progress": [{"label": str(step["label"]), "state": step["state"]} for step in progress],
    }
