"""评审排名表 and 拟授牌单位名单 as rows, an XLSX workbook (openpyxl) and a PDF (house style, embedded CJK font).

The lists are short (a project type has a few dozen applications), so they are built in the request.
"""

from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from shenbao.applications.workflow import ON_PROPOSED_LIST, ApplicationStatus
from shenbao.calls.aggregation import CENT, rule_of
from shenbao.core.spreadsheets import workbook_bytes
from shenbao.documents.pdf import render_template_pdf
from shenbao.documents.services import UNSAFE_FILENAME

STYLESHEET = Path(__file__).resolve().parent / "static" / "scoring" / "documents.css"
RANKING = "ranking"
PROPOSED = "proposed"
TITLES = {RANKING: "评审排名表", PROPOSED: "拟授牌单位名单"}
HEADERS = (
    "排名",
    "申报编号",
    "申报单位",
    "所在县（市、区）",
    "最终得分",
    "答辩得分",
    "资料审查得分",
    "评分专家数",
    "结果",
    "汇总说明",
)
WIDTHS = (8, 14, 34, 16, 10, 10, 12, 10, 16, 30)


@dataclass(frozen=True)
class ListRow:
    rank: int
    number: str
    unit: str
    county: str
    final: object
    defence: object
    material: object
    experts: int
    result: str
    tie: bool
    note: str = ""  # the method applied to this row when it differs from the call's (too few score sheets)


def result_label(row):
    """What became of a ranked application: 拟授牌, 未入选, 未达合格分数线 or still 待确定."""
    status = row.candidate.item.status
    if status in ON_PROPOSED_LIST:
        return "拟授牌"
    if status == ApplicationStatus.NOT_SELECTED:
        return "未入选"
    if not row.passes:
        return "未达合格分数线"
    return "待确定"


def list_rows(*, ranking, kind=RANKING):
    """Rows of the ranking, or only the applications on the proposed list (kind="proposed"), in rank order."""
    rows = []
    for row in ranking.rows:
        application = row.candidate.item
        if kind == PROPOSED and application.status not in ON_PROPOSED_LIST:
            continue
        rows.append(
            ListRow(
                rank=row.rank,
                number=application.number,
                unit=application.unit_name,
                county=application.county,
                final=row.final,
                defence=row.defence,
                material=row.material,
                experts=row.candidate.sheet_count,
                result=result_label(row),
                tie=row.unresolved_tie,
                note=row.method_note,
            )
        )
    return rows


def list_title(*, call, project_type, kind):
    return f"{call.year}年{project_type.name}{TITLES[kind]}"


def list_filename(*, call, project_type, kind, extension):
    name = UNSAFE_FILENAME.sub("_", list_title(call=call, project_type=project_type, kind=kind))
    return f"{name}.{extension}"


def basis_text(*, call, project_type):
    method = rule_of(call).description
    return f"汇总方式：{method}；合格分数线：{project_type.pass_line.quantize(CENT)}分"


def _rank_text(row):
    return f"{row.rank}（并列）" if row.tie else row.rank


def ranking_workbook(*, call, project_type, rows, kind=RANKING):
    """The list as .xlsx bytes: a title row, the basis, the header and one row per application."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = TITLES[kind]
    sheet.append([list_title(call=call, project_type=project_type, kind=kind)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([basis_text(call=call, project_type=project_type)])
    sheet.append(list(HEADERS))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(
            [
                _rank_text(row),
                row.number,
                row.unit,
                row.county,
                row.final,
                row.defence,
                row.material,
                row.experts,
                row.result,
                row.note,
            ]
        )
    for line in sheet.iter_rows(min_row=4, min_col=5, max_col=7):
        for cell in line:
            cell.number_format = "0.00"
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    for line in sheet.iter_rows(min_row=4):
        line[2].alignment = Alignment(wrap_text=True, vertical="top")
    return workbook_bytes(workbook)


def ranking_pdf(*, call, project_type, rows, kind=RANKING, at=None):
    context = {
        "title": list_title(call=call, project_type=project_type, kind=kind),
        "basis": basis_text(call=call, project_type=project_type),
        "headers": HEADERS,
        "rows": rows,
        "issuer": "\u3000".join(call.issuing_bodies or []),
        "generated_at": timezone.localtime(at or timezone.now()),
    }
    return render_template_pdf(template="scoring/pdf/ranking.html", context=context, stylesheets=[STYLESHEET])
