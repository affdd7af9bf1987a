"""What the objection's workflow (`workflow.MACHINE`) names: who decides, what a decision records, what its audit
entry carries and how the filer is told. Called by `core.transitions.fire` under the objection's row lock."""

import datetime
from typing import Any

from django.template.loader import render_to_string

from shenbao.core.transitions import Transition
from shenbao.notifications.outbox import queue_email

from .models import Objection
from .rules import administers_notice


def notice_admin(user: Any, objection: Objection) -> bool:
    """The call administrator of the city whose call the notice belongs to."""
    return administers_notice(user, objection.notice)


def record_decision(*, objection: Objection, actor: Any, payload: dict[str, Any], at: datetime.datetime) -> None:
    objection.investigation_note = payload["investigation_note"]
    objection.reply = payload["reply"]
    objection.decided_by = actor
    objection.decided_at = at


ACTORS = {"notice_admin": notice_admin}
EFFECTS = {"record_decision": record_decision}


def audit_details(objection: Objection, *, step: Transition, at: datetime.datetime) -> dict[str, str]:
    return {"receipt_number": objection.receipt_number, "application": objection.entry.application.number}


def notify_step(objection: Objection, *, step: Transition, actor: Any, comment: str, at: datetime.datetime) -> None:
    """The filer is answered by e-mail when they gave an address (the reply is also kept on the objection)."""
    if "filer" not in step.notify or not objection.email:
        return
    context = {"objection": objection, "notice": objection.notice, "unit": objection.entry.application.unit}
    subject = render_to_string("notices/objection_reply_subject.txt", context).strip()
    body = render_to_string("notices/objection_reply_email.txt", context)
    # Queued: the outbox sends it after the decision commits and fills reply_emailed_at once it went out.
    queue_email(
        to=[objection.email],
        subject=subject,
        body=body,
        purpose="notices:objection_reply",
        marks={"model": "notices.Objection", "pk": objection.pk, "field": "reply_emailed_at"},
    )
