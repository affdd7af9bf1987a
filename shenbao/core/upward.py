"""The tables the 技能办 reports upward (申报情况汇总表, 评审结果表), filled from the data as XLSX and DOCX.

Their layout (title, columns, the sign-off boxes 填报单位（盖章）, 负责人, 填表人, 日期 …) is the template
`data/templates/upward_reports.yaml`, kept in the repository and read once; the title comes from the call and the
reporting body is the reader's own organisation, so nothing city- or year-specific is in code. The summary's rows
are the call's submitted applications (one query); the results' rows are each project type's ranking, the same
`scoring.selectors.get_ranking` the ranking page and its XLSX show.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from django.conf import settings
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from shenbao.applications.selectors import list_applications
from shenbao.applications.workflow import ApplicationStatus
from shenbao.calls.selectors import list_project_types
from shenbao.scoring.selectors import get_ranking

from .spreadsheets import workbook_bytes

if TYPE_CHECKING:
    from shenbao.calls.models import Call
    from shenbao.organisations.models import Organisation

TEMPLATE = Path(settings.BASE_DIR) / "data" / "templates" / "upward_reports.yaml"
SONG = "宋体"


@cache
def load_templates() -> dict[str, dict[str, Any]]:
    return yaml.safe_load(TEMPLATE.read_text(encoding="utf-8"))


# {kind: the table's name}, for the page's links.
REPORTS = {kind: template["sheet"] for kind, template in load_templates().items()}


@dataclass(frozen=True)
class UpwardReport:
    kind: str
    title: str
    sheet: str
    landscape: bool
    headers: tuple[str, ...]
    widths: tuple[int, ...]
    rows: list[tuple[str, ...]]
    note: str
    sign_off: tuple[str, ...]


def _state(value: str) -> str:
    return str(ApplicationStatus(value).label)


def _summary_rows(call: Call) -> list[dict[str, str]]:
    applications = (
        list_applications(call=call)
        .exclude(status=ApplicationStatus.DRAFT)
        .select_related("project_type", "unit", "unit__region", "unit__unit_type", "first_review_body")
        .order_by("project_type__sort_order", "number")
    )
    return [
        {
            "project_type": application.project_type.name,
            "number": application.number,
            "unit": application.unit.name,
            "credit_code": application.unit.credit_code or "",
            "county": application.unit.region.name,
            "unit_type": application.unit.unit_type.name if application.unit.unit_type else "",
            "first_review_body": application.first_review_body.name if application.first_review_body else "",
            "state": _state(application.status),
        }
        for application in applications
    ]


def _results_rows(call: Call) -> list[dict[str, str]]:
    rows = []
    for project_type in list_project_types(call=call):
        for row in get_ranking(call=call, project_type=project_type).rows:
            application = row.candidate.item
            rows.append(
                {
                    "project_type": project_type.name,
                    "rank": str(row.rank),
                    "number": application.number,
                    "unit": application.unit_name,
                    "county": application.county,
                    "final": f"{row.final:.2f}",
                    "passes": _("是") if row.passes else _("否"),
                    "state": _state(application.status),
                }
            )
    return rows


ROWS: dict[str, Callable[[Call], list[dict[str, str]]]] = {"summary": _summary_rows, "results": _results_rows}


def build_upward_report(*, kind: str, call: Call, organisation: Organisation) -> UpwardReport:
    """The report `kind` (a key of the template file) of `call`, reported by `organisation`."""
    template = load_templates()[kind]
    columns = template["columns"]
    rows = [
        tuple(str(sequence) if column["key"] == "sequence" else row[column["key"]] for column in columns)
        for sequence, row in enumerate(ROWS[kind](call), 1)
    ]
    return UpwardReport(
        kind=kind,
        title=template["title"].format(call_title=call.title, year=call.year),
        sheet=template["sheet"],
        landscape=bool(template.get("landscape")),
        headers=tuple(column["label"] for column in columns),
        widths=tuple(int(column["width"]) for column in columns),
        rows=rows,
        note=template.get("note", ""),
        sign_off=tuple(line.format(organisation=organisation.name) for line in template["sign_off"]),
    )


def upward_workbook(report: UpwardReport) -> bytes:
    """The report as .xlsx: the title across the table, the header, the rows with borders, the note and the
    sign-off boxes in a row of their own under the table (through `workbook_bytes`: no cell is a formula)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = report.sheet[:31]
    last = len(report.headers)
    sheet.append([report.title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    sheet["A1"].font = Font(name=SONG, bold=True, size=16)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(list(report.headers))
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for row in report.rows:
        sheet.append(list(row))
    for line in sheet.iter_rows(min_row=2, max_row=2 + len(report.rows)):
        for cell in line:
            cell.border = border
            cell.alignment = Alignment(wrap_text=True, vertical="center")
    for cell in sheet[2]:
        cell.font = Font(name=SONG, bold=True)
    for index, width in enumerate(report.widths, 1):
        sheet.column_dimensions[sheet.cell(row=2, column=index).column_letter].width = width
    sheet.append([])
    if report.note:
        sheet.append([report.note])
    sheet.append([])
    # The sign-off boxes side by side, spread over the table's width as on the paper form.
    boxes = len(report.sign_off)
    spread = [""] * last
    for index, text in enumerate(report.sign_off):
        spread[min(index * last // boxes, last - 1)] = text
    sheet.append(spread)
    sheet.print_options.horizontalCentered = True
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if report.landscape else "portrait"
    return workbook_bytes(workbook)


def _font(run: Any, *, size: float = 10.5, bold: bool = False) -> None:
    run.font.name = SONG
    run.font.size = Pt(size)
    run.bold = bold
    # Word takes Chinese glyphs from the East-Asian slot, which python-docx leaves unset.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), SONG)


def upward_docx(report: UpwardReport) -> bytes:
    """The report as .docx (A4, landscape when the template says so): title, table, note, a borderless table of
    the sign-off boxes."""
    document = Document()
    section = document.sections[0]
    if report.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(18))
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(heading.add_run(report.title), size=16, bold=True)
    table = document.add_table(rows=1, cols=len(report.headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, report.headers, strict=True):
        _font(cell.paragraphs[0].add_run(text), bold=True)
    for row in report.rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            _font(cell.paragraphs[0].add_run(text), size=9)
    if report.note:
        _font(document.add_paragraph().add_run(report.note), size=9)
    boxes = document.add_table(rows=1, cols=len(report.sign_off))
    for cell, text in zip(boxes.rows[0].cells, report.sign_off, strict=True):
        _font(cell.paragraphs[0].add_run(text))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
