"""CSV export of audit entries, streamed: UTF-8 with a BOM so Excel shows Chinese correctly."""

import csv
import json

from django.utils import translation
from django.utils.translation import gettext as _

from shenbao.core.spreadsheets import csv_cell

from .selectors import beijing_time, object_type_label

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


def iter_csv(entries, *, language):
    """CSV lines for `entries`, read from the database in chunks.

    The lines are produced after the view has returned, so the request's language is passed in explicitly.
    """
    writer = csv.writer(_Echo())
    with translation.override(language):
        yield BOM + writer.writerow(header())
        for entry in entries.iterator(chunk_size=CHUNK_SIZE):
            yield writer.writerow([_safe(cell) for cell in row(entry)])
