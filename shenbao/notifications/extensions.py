"""What the unit is told about 延期提交 (the calls app's extension workflow names this hook by dotted path, so the
calls app, which sits below notifications, never imports it)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from shenbao.accounts.roles import Role
from shenbao.accounts.selectors import holding_role_q, list_active_users
from shenbao.calls.formatting import format_deadline

from .messages import in_working_language
from .services import create_notifications

if TYPE_CHECKING:
    from shenbao.calls.models import DeadlineExtension
    from shenbao.core.transitions import Transition


def _texts(extension: DeadlineExtension, step: str, comment: str) -> tuple[str, str]:
    values = {"call": extension.call.title, "deadline": format_deadline(extension.deadline), "reason": comment}
    if step == "grant":
        values["reason"] = extension.reason
        return (
            _("已批准延期提交：%(call)s") % values,
            _("技能办已批准本单位延期提交，截止时间延长至%(deadline)s（北京时间）。原因：%(reason)s") % values,
        )
    return (
        _("延期提交已撤销：%(call)s") % values,
        _("技能办已撤销本单位的延期提交，提交截止时间恢复为申报通知规定的时间。撤销原因：%(reason)s") % values,
    )


def notify_extension_step(
    extension: DeadlineExtension, *, step: Transition, actor: Any, comment: str, at: dt.datetime
) -> None:
    """Every active applicant account of the unit, with a link to its applications (where the call can be started
    or the application submitted)."""
    if "unit" not in step.notify:
        return
    with in_working_language():
        title, body = _texts(extension, step.name, comment)
    recipients = list_active_users(query=holding_role_q(Role.APPLICANT) & Q(organisation=extension.unit))
    create_notifications(
        recipients=recipients,
        event=step.event or f"calls:extension_{step.name}",
        title=title,
        body=body,
        url=reverse("applications:list"),
        city=extension.call.city_id,
        at=at,
    )
