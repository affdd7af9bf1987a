"""The columns the staff applications list shows and exports (a whitelist: the URL and the export name keys only).

Each column reads a row of `search_selectors.search_visible_applications` (its related rows and the paper copies
are in that same query), so a page or an export of any chosen columns costs no query per row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from .models import Application

Cell = str | int | None


@dataclass(frozen=True)
class Column:
    label: str | Promise
    value: Callable[[Application], Cell]


def _time(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


COLUMNS: dict[str, Column] = {
    "number": Column(_("申报编号"), lambda a: a.number),
    "unit": Column(_("申报单位"), lambda a: a.unit.name),
    "credit_code": Column(_("统一社会信用代码"), lambda a: a.unit.credit_code),
    "county": Column(_("所在区域"), lambda a: a.unit.region.name),
    "first_review_body": Column(_("资格初审单位"), lambda a: a.first_review_body.name if a.first_review_body else ""),
    "unit_type": Column(_("单位类型"), lambda a: a.unit.unit_type.name if a.unit.unit_type else ""),
    "industry": Column(_("所属行业"), lambda a: a.industry),
    "leader_name": Column(_("负责人姓名"), lambda a: a.leader_name),
    "legal_representative": Column(_("法定代表人"), lambda a: a.unit.legal_representative),
    "call": Column(_("申报通知"), lambda a: a.call.title),
    "year": Column(_("年度"), lambda a: a.call.year),
    "project_type": Column(_("项目类别"), lambda a: a.project_type.name),
    "status": Column(_("状态"), lambda a: a.get_status_display()),
    "submitted_at": Column(_("提交时间"), lambda a: _time(a.submitted_at)),
    "updated_at": Column(_("最近保存"), lambda a: _time(a.updated_at)),
    "paper_copies": Column(_("已收纸质材料（份）"), lambda a: a.paper_copies_received),  # type: ignore[attr-defined]
}
DEFAULT_COLUMNS = ("number", "unit", "county", "call", "project_type", "status", "submitted_at")


def header(columns: tuple[str, ...]) -> list[str]:
    return [str(COLUMNS[key].label) for key in columns]


def row_values(application: Application, columns: tuple[str, ...]) -> list[Cell]:
    return [COLUMNS[key].value(application) for key in columns]
