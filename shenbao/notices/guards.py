"""Guards of the award step (授牌, clause 三6) that belong to the public notice.

Signature of every guard: `(*, application, actor, payload, at) -> list[str]` (Chinese reasons; empty = allowed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from .selectors import count_pending_objections, get_notice_for_application, is_notice_closed

if TYPE_CHECKING:
    from shenbao.accounts.models import User
    from shenbao.applications.models import Application


def notice_closed(
    *, application: Application, actor: User, payload: Mapping[str, Any] | None, at: dt.datetime
) -> list[str]:
    """The application was published and its notice has ended (after 24:00 Beijing time of the end date)."""
    notice = get_notice_for_application(application=application)
    if notice is None:
        return [_("该申报尚未列入公示，不能授牌。")]
    if not is_notice_closed(notice=notice, at=at):
        return [
            _("公示期至%(end_date)s24时结束，公示期满后方可授牌。")
            % {"end_date": format(notice.end_date, "%Y年%m月%d日")}
        ]
    return []


def no_standing_objection(
    *, application: Application, actor: User, payload: Mapping[str, Any] | None, at: dt.datetime
) -> list[str]:
    """No objection about this unit is still under investigation."""
    pending = count_pending_objections(application=application)
    if pending:
        return [_("该单位有%(pending)s件公示异议尚未调查处理完毕，处理后方可授牌。") % {"pending": pending}]
    return []
