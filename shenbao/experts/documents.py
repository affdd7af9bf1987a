"""答辩安排表: the schedule of one defence session, as a printable page and as a PDF in the house style."""

from pathlib import Path

from django.utils import timezone

from shenbao.audit.services import record_event
from shenbao.documents.pdf import render_template_pdf
from shenbao.documents.services import GENERATE_EVENT

from .selectors import list_slots

TITLE = "答辩安排表"
STYLESHEET = Path(__file__).resolve().parent / "static" / "experts" / "schedule.css"


def schedule_context(*, session, at=None):
    """Plain data for the schedule (the templates only lay it out)."""
    panel = session.panel
    return {
        "title": f"{panel.call.year}年{panel.project_type.name}{TITLE}",
        "session": session,
        "panel": panel,
        "chair": panel.chair,
        "slots": list(list_slots(session=session)),
        "issuer": "\u3000".join(panel.call.issuing_bodies or []),
        "generated_at": timezone.localtime(at or timezone.now()),
    }


def render_schedule_pdf(*, session, user, request=None, at=None):
    """The PDF bytes, with the generation recorded in the audit trail like every generated document."""
    data = render_template_pdf(
        template="experts/pdf/schedule.html", context=schedule_context(session=session, at=at), stylesheets=[STYLESHEET]
    )
    record_event(
        event=GENERATE_EVENT,
        actor=user,
        target=session,
        request=request,
        details={"document": TITLE, "format": "pdf", "date": session.date.isoformat()},
    )
    return data
