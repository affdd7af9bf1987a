"""初审汇总表 as rows, and as an XLSX workbook (openpyxl) made by an export job (`shenbao.exports`, kind
"review.summary"): a large call's summary holds thousands of rows, which a request must not spend seconds on.

The request fixes the call (its slug, or the reader's newest as the page shows by default) and the reader's language;
the worker reads the summary for the job's owner, whose permission and scope are checked again then.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import rules
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from shenbao.core.background import ExportPlan
from shenbao.core.spreadsheets import workbook_bytes, write_only_cell, write_only_row

from .models import Decision
from .selectors import list_filter_calls, list_first_review_summary

if TYPE_CHECKING:
    from shenbao.accounts.models import User
    from shenbao.calls.models import Call

SUMMARY_PERMISSION = "review.view_summary"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

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


def choose_summary_call(*, user: User, slug: str | None) -> Call | None:
    """The call of the summary: the one named, among those whose applications `user` sees, else the newest of them
    (the page's default); None when the user sees none (or the named one is not among them)."""
    calls = list(list_filter_calls(user=user))
    if slug:
        return next((call for call in calls if call.slug == slug), None)
    return calls[0] if calls else None


def prepare_summary_export(*, data: Any, language: str) -> dict[str, Any]:
    """The job's params from the summary page's form: the call shown and the reader's language (whether the owner
    may read that call's summary is checked by the worker, for the owner, as the page does)."""
    return {"call": str(data.get("call") or "")[:100], "language": language}


def plan_summary_export(*, owner: User, params: dict[str, Any]) -> ExportPlan:
    """The export job's producer (`shenbao.exports.kinds`): the whole summary of the call as one workbook."""
    if not owner.is_active or not rules.has_perm(SUMMARY_PERMISSION, owner):
        raise PermissionDenied(_("申请人已无查看资格初审汇总表的权限。"))
    call = choose_summary_call(user=owner, slug=params.get("call"))
    if call is None:
        raise PermissionDenied(_("申请人已无权查看该通知的资格初审汇总表。"))
    with translation.override(params.get("language") or "zh-hans"):
        rows = summary_rows(list_first_review_summary(user=owner, call=call))
        content = summary_workbook(call=call, rows=rows)
    return ExportPlan(
        filename=f"first-review-summary-{call.slug}.xlsx",
        content_type=XLSX,
        rows=len(rows),
        chunks=iter([(content, len(rows))]),
    )
