"""延期提交: the 技能办 grants one unit a later submission time (force majeure, a system fault …) or revokes it.

A grant is refused unless the call is published, the unit is an applicant unit of the call's city, and the new
time is later than both the call's deadline and the moment of the grant; a reason is required. The grant is
audited (calls:extension_grant) and told to the unit through the workflow's hook; the revocation is a workflow
step (`extension_workflow`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from shenbao.audit.events import Event
from shenbao.audit.services import record_event
from shenbao.organisations.models import Organisation
from shenbao.organisations.selectors import get_city_of_region

from .extension_selectors import find_granted_extension
from .extension_workflow import announce_grant, revoke
from .formatting import format_deadline
from .models import Call, DeadlineExtension, ExtensionReason
from .rules import administers_call

REASON_MIN_LENGTH = 4


def _refusals(*, call: Call, unit: Organisation, deadline: dt.datetime, reason: str, at: dt.datetime) -> list[str]:
    reasons = []
    if not call.is_published:
        reasons.append(_("申报通知尚未发布，不能批准延期提交。"))
    if unit.kind != Organisation.Kind.APPLICANT_UNIT:
        reasons.append(_("「%(name)s」不是申报单位。") % {"name": unit.name})
    else:
        city = get_city_of_region(unit.region)
        if city is None or city.pk != call.city_id:
            reasons.append(
                _("「%(name)s」不属于%(city)s，不能申报本次通知。") % {"name": unit.name, "city": call.city.name}
            )
    if deadline <= call.submission_deadline:
        reasons.append(
            _("延长后的截止时间须晚于申报通知规定的截止时间（%(deadline)s）。")
            % {"deadline": format_deadline(call.submission_deadline)}
        )
    if deadline <= at:
        reasons.append(_("延长后的截止时间须晚于当前时间。"))
    if len(reason.strip()) < REASON_MIN_LENGTH:
        reasons.append(_("请写明延期原因（至少%(count)s个字）。") % {"count": REASON_MIN_LENGTH})
    return reasons


def grant_deadline_extension(
    *,
    call: Call,
    unit: Organisation,
    deadline: dt.datetime,
    reason_kind: str,
    reason: str,
    actor: Any,
    request: HttpRequest | None = None,
    at: dt.datetime | None = None,
) -> DeadlineExtension:
    """Let `unit` submit to `call` until `deadline` (its last in-time second); ValidationError with every reason
    it may not, PermissionDenied unless `actor` administers the call."""
    at = at or timezone.now()
    if not administers_call(actor, call):
        raise PermissionDenied(_("只有本市的申报管理员（技能办）可以批准延期提交。"))
    deadline = deadline.replace(microsecond=0)  # read to the second, like the call's deadline
    reasons = _refusals(call=call, unit=unit, deadline=deadline, reason=reason, at=at)
    if reason_kind not in ExtensionReason.values:
        reasons.append(_("请选择延期原因类别。"))
    if reasons:
        raise ValidationError(reasons)
    try:
        with transaction.atomic():
            if find_granted_extension(call=call, unit=unit) is not None:
                raise ValidationError(_("「%(name)s」已有延期提交，如需改期请先撤销。") % {"name": unit.name})
            extension = DeadlineExtension.objects.create(
                call=call,
                unit=unit,
                deadline=deadline,
                reason_kind=reason_kind,
                reason=reason.strip(),
                granted_by=actor,
                granted_at=at,
            )
            record_event(
                event=Event.EXTENSION_GRANT,
                actor=actor,
                target=extension,
                request=request,
                details={
                    "call": call.slug,
                    "unit": unit.name,
                    "credit_code": unit.credit_code,
                    "deadline": deadline.isoformat(),
                    "reason_kind": reason_kind,
                    "reason": extension.reason,
                },
            )
            announce_grant(extension=extension, actor=actor, at=at)
    except IntegrityError as error:  # a second administrator granted the same unit a moment earlier
        raise ValidationError(_("「%(name)s」已有延期提交，如需改期请先撤销。") % {"name": unit.name}) from error
    return extension


def revoke_deadline_extension(
    *, extension: DeadlineExtension, actor: Any, comment: str, request: HttpRequest | None = None
) -> DeadlineExtension:
    """Withdraw a granted extension (the reason is required); the unit's deadline is the call's again."""
    return revoke(extension=extension, actor=actor, comment=comment, request=request)
