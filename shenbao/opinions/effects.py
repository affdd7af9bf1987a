"""Effect of the `propose` step: ask the unit's superior department, the tax authority and the others (三4)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from shenbao.core.days import format_day, parse_due_date

from .models import OpinionRequest
from .selectors import list_consulted_departments

if TYPE_CHECKING:
    from shenbao.accounts.models import User
    from shenbao.applications.models import Application


def validate_opinion_due(value: object, *, at: dt.datetime) -> dt.date:
    """The reply date the departments are given: a date, not before today (Beijing time)."""
    due = parse_due_date(value)
    if due is None:
        raise ValidationError(_("请填写征求意见反馈截止日期（格式：年-月-日）。"), code="opinion_due_missing")
    today = timezone.localtime(at).date()
    if due < today:
        raise ValidationError(
            _("征求意见反馈截止日期不能早于今天（%(today)s）。") % {"today": format_day(today)}, code="opinion_due_past"
        )
    return due


def open_opinion_requests(
    *, application: Application, actor: User, payload: Mapping[str, Any] | None, at: dt.datetime
) -> None:
    """One OpinionRequest per department (existing ones kept); a department nobody holds aborts the step."""
    due = validate_opinion_due((payload or {}).get("opinion_due"), at=at)
    departments, missing = list_consulted_departments(application=application)
    if missing:
        raise ValidationError(
            _("系统中没有找到「%(name)s」的征求意见部门：%(missing)s。请先完善单位配置。")
            % {"name": application.unit.name, "missing": "、".join(missing)},
            code="no_consulted_department",
        )
    existing = set(application.opinion_requests.values_list("department_id", flat=True))
    OpinionRequest.objects.bulk_create(
        OpinionRequest(
            application=application,
            department=organisation,
            basis=basis,
            due_on=due,
            requested_at=at,
            requested_by=actor,
        )
        for organisation, basis in departments
        if organisation.pk not in existing
    )


def resolve_objections(*, application: Application, actor: User, payload: Mapping[str, Any], at: dt.datetime) -> None:
    """overrule_opinion: the administrator lets the unit continue, so its standing objections count as decided."""
    OpinionRequest.objects.filter(
        application=application, response=OpinionRequest.Response.OBJECTION, overruled_at__isnull=True
    ).update(overruled_at=at, overruled_by=actor, overrule_reason=payload.get("comment", ""))
