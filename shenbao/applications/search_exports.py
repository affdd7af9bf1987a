"""Export of the staff applications list (申报列表导出) as XLSX or CSV: exactly the rows the list's filters match,
in its order, with the columns the person chose.

Run as an export job (`shenbao.exports`, kind "applications.list"): the request fixes the filters, the columns,
the format and the newest application then (`upto`), so the job's row count is known before it starts; the worker
runs the very query of the list (`search_selectors.search_visible_applications`) for the job's owner, whose
permission is checked again. CSV is UTF-8 with a BOM (Excel shows Chinese correctly); no cell of either format
can start a formula (`core.spreadsheets`).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, QuerySet
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from shenbao.core.background import ExportPlan
from shenbao.core.spreadsheets import csv_cell, workbook_bytes

from .models import Application
from .search_forms import ApplicationSearchForm, ExportForm
from .search_selectors import get_filter_choices, search_visible_applications
from .search_services import SEARCH_PERMISSION, clean_view_query
from .search_table import header, row_values

if TYPE_CHECKING:
    from shenbao.accounts.models import User

CHUNK_SIZE = 1000
BOM = "\ufeff"
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class _Echo:
    def write(self, value: str) -> str:
        return value


def prepare_export(*, data: Any, language: str) -> dict[str, Any]:
    """The job's params from the posted form: the list's query (its view parameters), the format, the columns,
    the newest application now and the reader's language. Invalid choices raise ValidationError."""
    form = ExportForm(data)
    if not form.is_valid():
        raise ValidationError(form.errors.as_text())
    return {
        "query": clean_view_query(data.get("query") or ""),
        "format": form.cleaned_data["format"],
        "columns": list(form.chosen_columns()),
        "upto": Application.objects.aggregate(top=Max("pk"))["top"] or 0,
        "language": language,
    }


def list_exported_applications(*, owner: User, params: dict[str, Any]) -> QuerySet[Application]:
    """The rows of the export: the owner's list with the job's filters, up to the newest application then."""
    form = ApplicationSearchForm(QueryDict(params.get("query") or ""), choices=get_filter_choices(user=owner))
    if not form.is_valid():
        raise ValidationError(_("筛选条件无效：%(errors)s") % {"errors": form.errors.as_text()})
    return search_visible_applications(user=owner, filters=form.filters()).filter(pk__lte=params["upto"])


def plan_export(*, owner: User, params: dict[str, Any]) -> ExportPlan:
    """The export job's producer (`shenbao.exports.kinds`)."""
    if not owner.is_active or not rules.has_perm(SEARCH_PERMISSION, owner):
        raise PermissionDenied(_("申请人已无使用申报管理列表的权限。"))
    rows = list_exported_applications(owner=owner, params=params)
    kind = params["format"]
    columns = tuple(params["columns"])
    language = params.get("language") or "zh-hans"
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    chunks = _csv_chunks(rows, columns, language) if kind == "csv" else _xlsx_chunks(rows, columns, language)
    return ExportPlan(
        filename=f"applications-{stamp}.{kind}", content_type=CONTENT_TYPES[kind], rows=rows.count(), chunks=chunks
    )


def _csv_chunks(rows: QuerySet[Application], columns: tuple[str, ...], language: str) -> Iterator[tuple[str, int]]:
    writer = csv.writer(_Echo())
    with translation.override(language):
        yield BOM + writer.writerow(header(columns)), 0
        lines: list[str] = []
        for application in rows.iterator(chunk_size=CHUNK_SIZE):
            lines.append(writer.writerow([csv_cell(value) for value in row_values(application, columns)]))
            if len(lines) == CHUNK_SIZE:
                yield "".join(lines), len(lines)
                lines = []
        if lines:
            yield "".join(lines), len(lines)


def _xlsx_chunks(rows: QuerySet[Application], columns: tuple[str, ...], language: str) -> Iterator[tuple[bytes, int]]:
    """The rows go into the sheet chunk by chunk (each reported as progress with no bytes yet); the workbook's
    bytes come last, as one piece, because an XLSX file is a zip written when it is complete."""
    workbook = Workbook()
    sheet = workbook.active
    with translation.override(language):
        sheet.title = _("申报列表")
        sheet.append(header(columns))
        pending = 0
        for application in rows.iterator(chunk_size=CHUNK_SIZE):
            sheet.append(row_values(application, columns))
            pending += 1
            if pending == CHUNK_SIZE:
                yield b"", pending
                pending = 0
    yield workbook_bytes(workbook), pending
