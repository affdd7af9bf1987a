"""Reads for public verification (核验) of a generated document by its verification code.

The result carries only what a reader of the paper may confirm: number, unit, project type, call, status and
times. Nothing personal (no ID numbers, no phone numbers) ever reaches the public page, because the view gets
this dataclass, not the application.
"""

import datetime as dt
import re
from dataclasses import dataclass

from shenbao.applications.selectors import find_by_verification_code
from shenbao.applications.workflow import ApplicationStatus
from shenbao.audit.selectors import last_event_at
from shenbao.core.verification import VERIFICATION_ALPHABET

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
    applications = find_by_verification_code(code=code)
    application = applications.annotate(
        last_generated_at=last_event_at(event=GENERATE_EVENT, model=applications.model)
    ).first()
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
