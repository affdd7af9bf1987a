"""初审汇总表 as rows, and as an XLSX workbook (openpyxl)."""

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from shenbao.core.spreadsheets import workbook_bytes, write_only_cell, write_only_row

from .models import Decision

HEADERS = (
    "初审单位",
    "申报单位",
    "所在县（市、区）",
    "项目类别",
    "申报编号",
    "初审结论",
    "推荐意见",
    "审核人",
    "审核日期",
)


def summary_rows(records):
    """Plain rows (strings) of the summary from `selectors.list_first_review_summary`'s values, in its order."""
    return [
        {
            "body": record["organisation__name"],
            "unit": record["application__unit__name"],
            "county": record["application__unit__region__name"],
            "project_type": record["application__project_type__name"],
            "number": record["application__number"],
            "public_id": record["application__public_id"],
            "decision": Decision(record["decision"]).label,
            "recommendation": record["recommendation"] or record["comment"],
            "reviewer": record["reviewer__full_name"] or record["reviewer__username"],
            "date": timezone.localtime(record["at"]).strftime("%Y-%m-%d"),
        }
        for record in records
    ]


def summary_workbook(*, call, rows):
    """The summary as .xlsx bytes: a title row, the header and one row per application. Written as a stream
    (openpyxl's write-only mode): a large call's thousands of rows cost a fraction of an in-memory workbook."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("初审汇总表")
    for column, width in zip("ABCDEFGHI", (26, 30, 14, 16, 14, 10, 40, 10, 12), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.append(write_only_row(sheet, [f"{call.title} 资格初审汇总表"], font=Font(bold=True, size=14)))
    sheet.append(write_only_row(sheet, list(HEADERS), font=Font(bold=True)))
    keys = ("body", "unit", "county", "project_type", "number", "decision")
    wrapped = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        cells = write_only_row(sheet, [str(row[key]) for key in keys])
        cells.append(write_only_cell(sheet, str(row["recommendation"]), alignment=wrapped))
        cells += write_only_row(sheet, [str(row["reviewer"]), str(row["date"])])
        sheet.append(cells)
    return workbook_bytes(workbook)
