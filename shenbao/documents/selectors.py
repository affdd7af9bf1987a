"""Reads for public verification (核验) of a generated document by its verification code.

The result carries only what a reader of the paper may confirm: number, unit, project type, call, status and
times. Nothing personal (no ID numbers, no phone numbers) ever reaches the public page, because the view gets
this dataclass, not the application.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Subquery

from shenbao.applications.models import VERIFICATION_ALPHABET, Application, ApplicationVersion
from shenbao.applications.workflow import ApplicationStatus
from shenbao.audit.models import AuditEntry

from .services import GENERATE_EVENT

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
    versions = ApplicationVersion.objects.filter(application=OuterRef("pk")).order_by("-sequence")
    generations = AuditEntry.objects.filter(
        event=GENERATE_EVENT,
        content_type=ContentType.objects.get_for_model(Application),
        object_id=OuterRef("pk"),
    ).order_by("-timestamp")
    application = (
        Application.objects.filter(verification_code=code)
        .select_related("call", "project_type", "unit")
        .annotate(
            latest_version=Subquery(versions.values("sequence")[:1]),
            latest_version_at=Subquery(versions.values("submitted_at")[:1]),
            last_generated_at=Subquery(generations.values("timestamp")[:1]),
        )
        .first()
    )
    if application is None:
        return None
    return VerificationResult(
        number=application.number,
        unit_name=application.unit.name,
        project_type=application.project_type.name,
        call_title=application.call.title,
        status_label=str(ApplicationStatus(application.status).label),
        latest_version=application.latest_version,
        latest_submitted_at=application.latest_version_at or application.submitted_at,
        last_generated_at=application.last_generated_at,
    )
