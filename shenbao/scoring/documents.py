"""The signed score sheet (专家评分表) of one expert as a PDF in the platform's house style: the expert's name,
the applicant unit's name, every rubric item with its points and comment, the totals, the overall opinion, a
signature line and the date. Rendered by `shenbao.documents.pdf.render_template_pdf` (embedded Noto CJK)."""

from pathlib import Path

from django.utils import timezone

from shenbao.audit.services import record_event
from shenbao.documents.content import EMPTY, format_date
from shenbao.documents.pdf import render_template_pdf
from shenbao.documents.services import GENERATE_EVENT, UNSAFE_FILENAME

from .selectors import group_sheet_rows, list_sheet_rows
from .services import format_points

TITLE = "专家评分表"
STYLESHEET = Path(__file__).resolve().parent / "static" / "scoring" / "documents.css"


def _points(value):
    return format_points(value) if value is not None else EMPTY


def build_score_sheet(*, sheet, at=None):
    """Plain data for the sheet's PDF (the template only lays it out)."""
    assignment = sheet.assignment
    application = assignment.application
    expert = assignment.expert
    groups = group_sheet_rows(list_sheet_rows(project_type=application.project_type, sheet=sheet))
    return {
        "title": f"{application.call.year}年{application.project_type.name}{TITLE}",
        # Two label/value pairs per line, so the whole sheet fits one page with room for the signature.
        "heading_rows": (
            (("申报单位", application.unit.name), ("申报编号", application.number)),
            (("项目类别", application.project_type.name), ("评审专家组", assignment.panel.name)),
            (
                ("评审专家", expert.full_name or expert.username),
                ("专家工作单位", expert.organisation.name if expert.organisation_id else EMPTY),
            ),
        ),
        "groups": [
            {
                "label": group.label,
                "max_points": _points(group.max_points),
                "points": _points(group.points),
                "rows": [
                    {
                        "name": row.item.name,
                        "description": row.item.description,
                        "max_points": _points(row.item.max_points),
                        "points": _points(row.points),
                        "comment": row.comment or "",
                    }
                    for row in group.rows
                ],
            }
            for group in groups
        ],
        "total": _points(sheet.total),
        "max_total": _points(sum((group.max_points for group in groups), 0)),
        "overall_opinion": sheet.overall_opinion or EMPTY,
        "submitted_on": format_date(sheet.submitted_at),
        "number": application.number,
        "generated_at": timezone.localtime(at or timezone.now()),
        "issuer": "\u3000".join(application.call.issuing_bodies or []),
    }


def render_score_sheet_pdf(*, sheet, at=None):
    return render_template_pdf(
        template="scoring/pdf/score_sheet.html", context=build_score_sheet(sheet=sheet, at=at), stylesheets=[STYLESHEET]
    )


def score_sheet_filename(*, sheet):
    application = sheet.assignment.application
    expert = sheet.assignment.expert
    unit = UNSAFE_FILENAME.sub("_", application.unit.name).strip(" ._") or "申报单位"
    name = UNSAFE_FILENAME.sub("_", expert.full_name or expert.username).strip(" ._") or "专家"
    return f"{application.number}-{unit}-{TITLE}-{name}.pdf"


def generate_score_sheet(*, sheet, actor, request=None):
    """The PDF bytes; the generation is audited like every generated document."""
    data = render_score_sheet_pdf(sheet=sheet)
    record_event(
        event=GENERATE_EVENT,
        actor=actor,
        target=sheet,
        request=request,
        details={"number": sheet.assignment.application.number, "document": TITLE, "format": "pdf"},
    )
    return data
