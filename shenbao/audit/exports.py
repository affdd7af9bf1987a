"""CSV export of audit entries: UTF-8 with a BOM so Excel shows Chinese correctly.

Built by the task worker as an export job (`shenbao.exports`), never streamed from the request: a million entries
take longer than a worker's timeout, and a cut-off stream reached the browser as HTTP 200 with part of the rows.
The job exports the entries that matched the filters when it was asked for (up to the newest entry then), so its
row count is fixed and checked against the file.
"""

import csv
import json
from typing import Any

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from shenbao.core.background import ExportPlan
from shenbao.core.spreadsheets import csv_cell

from .forms import FILTER_FIELDS, AuditFilterForm
from .models import AuditEntry
from .selectors import beijing_time, filter_entries, object_type_label

PERMISSION = "audit.browse_auditentry"


BOM = "\ufeff"
CHUNK_SIZE = 2000


class _Echo:
    def write(self, value):
        return value


_safe = csv_cell  # unit names and object texts come from users (shenbao.core.spreadsheets)


def _json(value):
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""


def header():
    return [
        _("时间（北京时间）"),
        _("操作人"),
        _("用户名"),
        _("事件"),
        _("结果"),
        _("来源IP"),
        _("对象类型"),
        _("对象ID"),
        _("对象"),
        _("变更内容"),
        _("详情"),
        _("记录编号"),
        # The hash chain (shenbao/audit/chain.py): an export kept elsewhere pins the chain as it was.
        _("链序号"),
        _("哈希"),
    ]


def row(entry):
    actor = entry.actor
    return [
        beijing_time(entry.timestamp).strftime("%Y-%m-%d %H:%M:%S"),
        str(actor) if actor else "",
        actor.username if actor else "",
        entry.event_label,
        entry.get_result_display(),
        entry.remote_addr or "",
        object_type_label(entry),
        entry.object_pk,
        entry.object_repr,
        _json(entry.changes),
        _json(entry.additional_data),
        entry.pk,
        entry.sequence,
        entry.entry_hash,
    ]


def prepare_export(*, data: Any, language: str) -> dict[str, Any]:
    """The export job's params from the posted filters (the audit list's): the filters, the newest entry now and
    the reader's language. Invalid filters raise ValidationError."""
    query = {name: data[name] for name in FILTER_FIELDS if data.get(name)}
    form = AuditFilterForm(query)
    if not form.is_valid():
        raise ValidationError(form.errors.as_text())
    return {"query": query, "upto": AuditEntry.objects.aggregate(top=Max("pk"))["top"] or 0, "language": language}


def _entries(params: dict[str, Any]) -> QuerySet[AuditEntry]:
    form = AuditFilterForm(params.get("query") or None)
    if form.is_bound and not form.is_valid():
        raise ValidationError(_("筛选条件无效：%(errors)s") % {"errors": form.errors.as_text()})
    filters = form.filters() if form.is_bound else {}
    return filter_entries(**filters).filter(pk__lte=params["upto"])


def plan_export(*, owner: Any, params: dict[str, Any]) -> ExportPlan:
    """The export job's producer (`shenbao.exports.kinds`): the audit administrator's entries as CSV."""
    if not owner.is_active or not rules.has_perm(PERMISSION, owner):
        raise PermissionDenied(_("申请人已无查阅审计记录的权限。"))
    entries = _entries(params)
    stamp = beijing_time(timezone.now()).strftime("%Y%m%d-%H%M%S")
    return ExportPlan(
        filename=f"audit-{stamp}.csv",
        content_type="text/csv; charset=utf-8",
        rows=entries.count(),
        chunks=_chunks(entries, language=params.get("language") or "zh-hans"),
    )


def _chunks(entries: QuerySet[AuditEntry], *, language: str):
    """(text, rows) pieces of the CSV, read from the database in chunks, in the reader's language."""
    writer = csv.writer(_Echo())
    with translation.override(language):
        yield BOM + writer.writerow(header()), 0
        lines: list[str] = []
        for entry in entries.iterator(chunk_size=CHUNK_SIZE):
            lines.append(writer.writerow([_safe(cell) for cell in row(entry)]))
            if len(lines) == CHUNK_SIZE:
                yield "".join(lines), len(lines)
                lines = []
        if lines:
            yield "".join(lines), len(lines)
