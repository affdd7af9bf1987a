"""初审汇总表 as rows, and as an XLSX workbook (openpyxl)."""

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from shenbao.core.spreadsheets import workbook_bytes

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
    """Plain rows (strings) of the summary, in the order of `selectors.list_first_review_summary`."""
    return [
        {
            "body": record.organisation.name,
            "unit": record.application.unit.name,
            "county": record.application.unit.region.name,
            "project_type": record.application.project_type.name,
            "number": record.application.number,
            "public_id": record.application.public_id,
            "decision": record.get_decision_display(),
            "recommendation": record.recommendation or record.comment,
            "reviewer": record.reviewer.full_name or record.reviewer.username,
            "date": timezone.localtime(record.at).strftime("%Y-%m-%d"),
        }
        for record in records
    ]


def summary_workbook(*, call, rows):
    """The summary as .xlsx bytes: a title row, the header and one row per application."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "初审汇总表"
    sheet.append([f"{call.title} 资格初审汇总表"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(list(HEADERS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    keys = ("body", "unit", "county", "project_type", "number", "decision", "recommendation", "reviewer", "date")
    for row in rows:
        sheet.append([str(row[key]) for key in keys])
    for column, width in zip("ABCDEFGHI", (26, 30, 14, 16, 14, 10, 40, 10, 12), strict=True):
        sheet.column_dimensions[column].width = width
    for line in sheet.iter_rows(min_row=3):
        line[6].alignment = Alignment(wrap_text=True, vertical="top")
    return workbook_bytes(workbook)
