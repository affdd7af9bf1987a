"""Guard of the `publish_in_notice` step: every department has answered and no objection stands (三4 → 三5)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from .selectors import list_request_rows

if TYPE_CHECKING:
    from shenbao.accounts.models import User
    from shenbao.applications.models import Application


def opinions_complete_without_objection(
    *, application: Application, actor: User, payload: Mapping[str, Any] | None, at: dt.datetime
) -> list[str]:
    rows = list(list_request_rows(application=application))
    if not rows:
        return [_("「%(name)s」尚未征求意见。") % {"name": application.unit.name}]
    reasons: list[str] = []
    waiting = [row.department.name for row in rows if row.is_open]
    if waiting:
        reasons.append(
            _("「%(name)s」尚有部门未反馈意见：%(waiting)s。")
            % {"name": application.unit.name, "waiting": "、".join(waiting)}
        )
    standing = [row.department.name for row in rows if row.is_standing_objection]
    if standing:
        reasons.append(
            _("「%(name)s」有%(standing)s提出异议，尚待申报管理员研究决定。")
            % {"name": application.unit.name, "standing": "、".join(standing)}
        )
    return reasons
