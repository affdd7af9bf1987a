"""The public status query (办件进度查询): an application's number plus its unit's credit code → a coarse stage.

Anyone may ask, without logging in, so the answer discloses as little as it can: only the public stage of the
workflow (受理, 审核, 评审, 公示, 认定 …), never a reviewer's comment, score or the reason of a refusal. A number
with the wrong credit code, an unknown number and an unknown code all get the same answer (`None`), in one
query, so the page cannot be used to learn which numbers exist. Every question is counted by the shared rate
limiter and recorded in the audit trail. Each state's public stage is in the workflow table (`public_stage`).
"""

from dataclasses import dataclass

from shenbao.audit.events import Event
from shenbao.audit.models import AuditEntry
from shenbao.audit.services import record_event
from shenbao.core import ratelimit
from shenbao.organisations.credit_code import normalise_credit_code

from .models import Application
from .workflow import get_state_view


@dataclass(frozen=True)
class PublicStatus:
    number: str
    call_title: str
    project_type: str
    stage: str


@dataclass(frozen=True)
class StatusAnswer:
    limited: bool = False  # too many questions from this address: nothing was looked up
    status: PublicStatus | None = None  # None: no application with this number and this credit code


def get_status_query_limit():
    return ratelimit.limit_from_settings("SHENBAO_STATUS_QUERY_LIMIT", attempts=10, window=300)


def find_public_status(*, number, credit_code):
    """The public stage of the application with `number` whose unit holds `credit_code`, else None."""
    number = (number or "").strip().upper()
    credit_code = normalise_credit_code(credit_code)
    if not number or not credit_code:
        return None
    application = (
        Application.objects.filter(number__iexact=number, unit__credit_code=credit_code)
        .select_related("call", "project_type")
        .first()
    )
    if application is None:
        return None
    return PublicStatus(
        number=application.number,
        call_title=application.call.title,
        project_type=application.project_type.name,
        stage=str(get_state_view(application.status).public_stage),  # the workflow table's, in the reader's language
    )


def query_public_status(*, number, credit_code, remote_addr, request=None):
    """Rate-limit, look up and audit one public status question (call outside any transaction: the limiter's hit
    must survive). The audit entry keeps the number asked and whether it was found, not the credit code."""
    if not ratelimit.allow(scope="status-query", ident=remote_addr, limit=get_status_query_limit()):
        return StatusAnswer(limited=True)
    status = find_public_status(number=number, credit_code=credit_code)
    record_event(
        event=Event.PUBLIC_STATUS_QUERY,
        request=request,
        remote_addr=remote_addr,
        result=AuditEntry.Result.SUCCESS if status else AuditEntry.Result.FAILURE,
        details={"number": (number or "").strip()[:32], "found": status is not None},
    )
    return StatusAnswer(status=status)
