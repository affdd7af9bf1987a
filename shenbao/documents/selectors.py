"""Reads of generated documents: public verification (核验) by the verification code, and which stored document
of a submitted version a download serves and how far its rendering has come.

The verification result carries only what a reader of the paper may confirm: number, unit, project type, call,
status and times. Nothing personal (no ID numbers, no phone numbers) ever reaches the public page, because the
view gets this dataclass, not the application.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from shenbao.applications.selectors import find_by_verification_code, get_latest_version
from shenbao.applications.workflow import EDITABLE_STATES, ApplicationStatus
from shenbao.audit.selectors import last_event_at
from shenbao.core.background import STALL_AFTER
from shenbao.core.verification import VERIFICATION_ALPHABET

from .models import RenderedDocument
from .services import GENERATE_EVENT

if TYPE_CHECKING:
    from shenbao.applications.models import Application, ApplicationVersion

CODE_RE = re.compile(rf"^[{VERIFICATION_ALPHABET}]{{12}}$")
SEPARATORS = re.compile(r"[\s\-_.·]+")


@dataclass(frozen=True)
class VerificationResult:
    number: str
    unit_name: str
    project_type: str
    call_title: str
    status_label: str
    latest_version: int | None
    latest_submitted_at: dt.datetime | None
    last_generated_at: dt.datetime | None


def normalise_verification_code(raw: object) -> str:
    """Codes are typed from paper: case, spaces and dashes do not matter."""
    return SEPARATORS.sub("", str(raw or "")).upper()


def find_verification(*, code: str) -> VerificationResult | None:
    """The public facts of the application with this code, or None; one query whichever the answer.

    A code of the wrong shape is not looked up at all (its shape is public, so this reveals nothing).
    """
    code = normalise_verification_code(code)
    if not CODE_RE.match(code):
        return None
    applications = find_by_verification_code(code=code)
    # A document is generated in a request (a draft's, the print view: audited "document:generate") or by the task
    # worker for a submitted version (its row's `rendered_at`, the time printed on it): the later of the two.
    stored = RenderedDocument.objects.filter(
        version__application=OuterRef("pk"), status=RenderedDocument.Status.READY
    ).order_by("-rendered_at")
    application = applications.annotate(
        last_generated_at=last_event_at(event=GENERATE_EVENT, model=applications.model),
        last_rendered_at=Subquery(stored.values("rendered_at")[:1]),
    ).first()
    if application is None:
        return None
    generated = [at for at in (application.last_generated_at, application.last_rendered_at) if at is not None]
    return VerificationResult(
        number=application.number,
        unit_name=application.unit.name,
        project_type=application.project_type.name,
        call_title=application.call.title,
        status_label=str(ApplicationStatus(application.status).label),
        latest_version=application.latest_version,
        latest_submitted_at=application.latest_version_at or application.submitted_at,
        last_generated_at=max(generated, default=None),
    )


def find_served_version(*, application: Application) -> ApplicationVersion | None:
    """The submitted version whose stored documents the application's document URLs serve: its latest, once the
    unit can no longer edit it. None for a draft or an application returned for correction, whose documents are
    rendered on demand from the current content."""
    if application.status in EDITABLE_STATES:
        return None
    return get_latest_version(application=application)


def find_rendered_document(
    *, version: ApplicationVersion, document: str, file_format: str, audience: str
) -> RenderedDocument | None:
    return RenderedDocument.objects.filter(
        version=version, document=document, file_format=file_format, audience=audience
    ).first()


@dataclass(frozen=True)
class RenderingProgress:
    """What the document's page shows besides the state badge: whether the file may be taken, whether the page
    keeps asking (htmx), whether a rendering has gone quiet (its worker may have died; the sweep requeues it)."""

    rendered: RenderedDocument
    ready: bool
    failed: bool
    in_progress: bool
    quiet: bool


def describe_rendering(*, rendered: RenderedDocument, at: dt.datetime | None = None) -> RenderingProgress:
    at = at or timezone.now()
    status = RenderedDocument.Status
    in_progress = rendered.status in {status.QUEUED, status.RENDERING}
    since = rendered.started_at or rendered.queued_at
    return RenderingProgress(
        rendered=rendered,
        ready=rendered.status == status.READY and bool(rendered.file),
        failed=rendered.status == status.FAILED,
        in_progress=in_progress,
        quiet=rendered.status == status.RENDERING and at - since > STALL_AFTER,
    )
