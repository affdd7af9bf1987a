"""审核意见表 (notice 三4): one form per proposed unit listing every consulted department's opinion, as a PDF in
the platform's house style (rendered by `shenbao.documents.pdf.render_template_pdf`)."""

from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

from shenbao.audit.services import record_event
from shenbao.documents.content import EMPTY, format_date, verify_url
from shenbao.documents.pdf import render_template_pdf
from shenbao.documents.services import GENERATE_EVENT, UNSAFE_FILENAME

from .selectors import list_request_rows

TITLE = "审核意见表"
STYLESHEET = Path(__file__).resolve().parent / "static" / "opinions" / "opinion_form.css"


@dataclass(frozen=True)
class OpinionRow:
    department: str
    basis: str
    response: str
    reason: str
    respondent: str
    date: str
    decision: str  # the administrator's recorded decision on an overruled objection


def _row(request):
    decision = ""
    if request.overruled_at:
        decision = (
            f"申报管理员研究决定继续办理（{format_date(request.overruled_at)}）：{request.overrule_reason or EMPTY}"
        )
    return OpinionRow(
        department=request.department.name,
        basis=str(request.get_basis_display()),
        response=str(request.get_response_display()) if request.response else "待反馈",
        reason=request.reason or EMPTY,
        respondent=request.responded_by.full_name if request.responded_by_id else EMPTY,
        date=format_date(request.responded_at) or f"（截止{format_date(request.due_on)}）",
        decision=decision,
    )


def build_opinion_form(*, application, site_url="", at=None):
    """Plain data for the unit's 审核意见表 (the template only lays it out)."""
    unit = application.unit
    rows = tuple(_row(request) for request in list_request_rows(application=application))
    return {
        "title": f"{application.call.year}年{application.project_type.name}拟授牌单位{TITLE}",
        "unit_rows": (
            ("单位名称", unit.name),
            ("统一社会信用代码", unit.credit_code or EMPTY),
            ("单位类型", str(unit.unit_type) if unit.unit_type_id else EMPTY),
            ("所在县（市、区）", unit.region.name if unit.region_id else EMPTY),
            ("主管部门", unit.competent_department.name if unit.competent_department_id else EMPTY),
            ("项目类别", application.project_type.name),
            ("申报编号", application.number),
        ),
        "rows": rows,
        "number": application.number,
        "verification_code": application.verification_code,
        "verify_url": verify_url(code=application.verification_code, site_url=site_url),
        "issuer": "\u3000".join(application.call.issuing_bodies or []),
        "generated_at": timezone.localtime(at or timezone.now()),
    }


def render_opinion_form_pdf(*, application, site_url="", at=None):
    form = build_opinion_form(application=application, site_url=site_url, at=at)
    return render_template_pdf(template="opinions/pdf/opinion_form.html", context=form, stylesheets=[STYLESHEET])


def opinion_form_filename(*, application):
    unit = UNSAFE_FILENAME.sub("_", application.unit.name).strip(" ._") or "申报单位"
    return f"{application.number}-{unit}-{TITLE}.pdf"


def generate_opinion_form(*, application, actor, request=None, site_url=""):
    """The PDF bytes, with the generation recorded in the audit trail like every generated document."""
    data = render_opinion_form_pdf(application=application, site_url=site_url)
    record_event(
        event=GENERATE_EVENT,
        actor=actor,
        target=application,
        request=request,
        details={"number": application.number, "document": TITLE, "format": "pdf"},
    )
    return data
