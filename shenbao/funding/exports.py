"""经费台账 as an XLSX workbook (openpyxl): instalments, ledger entries and the budget execution by year.

A city's ledger grows by at most the call quotas (a few dozen units) a year, so it is built within the request;
amounts are written as numbers with a 0.00 format so the finance office can sum them.
"""

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from shenbao.core.spreadsheets import workbook_bytes

MONEY_FORMAT = "#,##0.00"

INSTALMENT_HEADERS = (
    "申报编号",
    "申报单位",
    "所在县（市、区）",
    "项目类别",
    "申报通知",
    "牌匾编号",
    "授牌日期",
    "台账状态",
    "拨付批次",
    "比例（%）",
    "金额（元）",
    "拨付条件",
    "应拨付日期",
    "预算年度",
    "已拨付（元）",
    "待拨付（元）",
    "待验收后拨付（元）",
    "批次状态",
)
ENTRY_HEADERS = (
    "申报编号",
    "申报单位",
    "拨付批次",
    "类型",
    "日期",
    "凭证号",
    "金额（元）",
    "冲销的拨付记录",
    "冲销原因",
    "经办人",
    "录入时间",
)
YEAR_HEADERS = (
    "经费来源",
    "年度",
    "年度预算（元）",
    "承诺拨付（元）",
    "已拨付（元）",
    "未拨付（元）",
    "预算结余（元）",
)


def _header(sheet, headers):
    sheet.append(list(headers))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"


def _widths(sheet, widths):
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _money_columns(sheet, columns, *, first_row):
    for column in columns:
        for (cell,) in sheet.iter_rows(min_row=first_row, min_col=column, max_col=column):
            cell.number_format = MONEY_FORMAT


def _instalment_sheet(sheet, records):
    sheet.title = "经费台账"
    _header(sheet, INSTALMENT_HEADERS)
    for record in records:
        application = record.application
        plaque = getattr(application, "plaque", None)
        for instalment in record.instalments.all():
            sheet.append(
                [
                    application.number,
                    application.unit.name,
                    application.unit.region.name,
                    application.project_type.name,
                    application.call.title,
                    plaque.number if plaque else "",
                    record.designated_on,
                    str(record.status_label),
                    instalment.name,
                    instalment.percent,
                    instalment.amount,
                    instalment.get_trigger_display(),
                    instalment.due_on,
                    instalment.budget_year,
                    instalment.figures.paid,
                    instalment.figures.unpaid,
                    instalment.figures.awaiting,
                    str(instalment.status_label),
                ]
            )
    _money_columns(sheet, (11, 15, 16, 17), first_row=2)
    _widths(sheet, (14, 30, 14, 18, 30, 14, 12, 12, 20, 8, 14, 16, 12, 10, 14, 14, 16, 12))


def _original(entry):
    """How a reversal names the payment it reverses: its date and voucher number."""
    if entry.reverses is None:
        return ""
    return f"{entry.reverses.booked_on:%Y-%m-%d} {entry.reverses.voucher_number}".strip()


def _entry_sheet(sheet, entries):
    _header(sheet, ENTRY_HEADERS)
    for entry in entries:
        application = entry.record.application
        sheet.append(
            [
                application.number,
                application.unit.name,
                entry.instalment.name,
                entry.get_kind_display(),
                entry.booked_on,
                entry.voucher_number,
                entry.amount,
                _original(entry),
                entry.reason,
                entry.created_by.full_name or entry.created_by.username,
                timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    _money_columns(sheet, (7,), first_row=2)
    _widths(sheet, (14, 30, 20, 8, 12, 20, 14, 20, 30, 10, 17))


def _year_sheet(sheet, overview):
    _header(sheet, YEAR_HEADERS)
    for line in overview.years:
        sheet.append(
            [
                line.fund_source,
                line.year,
                line.appropriation,
                line.figures.committed,
                line.figures.paid,
                line.figures.remaining,
                line.balance,
            ]
        )
    _money_columns(sheet, (3, 4, 5, 6, 7), first_row=2)
    _widths(sheet, (34, 8, 16, 16, 16, 16, 16))


def ledger_workbook(*, records, entries, overview=None):
    """The ledger as .xlsx bytes: 经费台账 (one row per instalment), 拨付记录, and 预算执行 when given."""
    workbook = Workbook()
    _instalment_sheet(workbook.active, records)
    _entry_sheet(workbook.create_sheet("拨付记录"), entries)
    if overview is not None:
        _year_sheet(workbook.create_sheet("预算执行"), overview)
    return workbook_bytes(workbook)
