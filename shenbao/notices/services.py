"""公示 (clause 三5): publishing the proposed list, and the administrator's decision on an objection.

Publishing computes the period with the one working-day calendar (refused, before anything is written, when it
touches a year nobody has entered), creates the notice, then fires `publish_in_notice` for every application of
the call awaiting it, each in its own transaction, and reports per unit. The opinion guard of that step runs in
`fire_transition`, so a unit whose opinions are incomplete stays off the list with the reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise

from shenbao.applications.services import fire_transition
from shenbao.applications.workflow import ApplicationStatus
from shenbao.audit.services import record_event
from shenbao.calls.models import Call
from shenbao.core.transitions import fire
from shenbao.organisations.selectors import get_city_of_region

from .calendar import add_working_days
from .models import NoticeEntry, Objection, PublicNotice
from .rules import is_notice_admin
from .selectors import beijing_date, list_publishable_applications
from .workflow import MACHINE

if TYPE_CHECKING:
    from shenbao.accounts.models import User
    from shenbao.applications.models import Application


@dataclass(frozen=True)
class NoticePeriod:
    start_date: dt.date
    end_date: dt.date
    working_days: int
    counting: str

    @property
    def counting_label(self) -> str | Promise:
        return Call.NoticeCounting(self.counting).label


def compute_notice_period(*, call: Call, start_date: dt.date) -> NoticePeriod:
    """The period of a notice of `call` starting on `start_date` (CalendarUnknownError for an unknown year)."""
    counting = call.notice_counting
    end_date = add_working_days(
        start=start_date,
        count=call.notice_working_days,
        first_day_counts=counting == Call.NoticeCounting.FIRST_DAY_COUNTS,
    )
    return NoticePeriod(
        start_date=start_date, end_date=end_date, working_days=call.notice_working_days, counting=counting
    )


@dataclass
class PublishResult:
    notice: PublicNotice | None
    published: list[Application] = field(default_factory=list)
    refused: list[tuple[Application, list[str]]] = field(default_factory=list)  # with the reasons


def _check_publish(*, call: Call, user: User, start_date: dt.date, at: dt.datetime) -> None:
    if not is_notice_admin(user) or user.organisation is None:
        raise PermissionDenied("只有申报管理员可以发布公示。")
    city = get_city_of_region(user.organisation.region)
    if city is None or city.pk != call.city_id:
        raise PermissionDenied("只能发布本市申报通知的公示。")
    if start_date < beijing_date(at):
        raise ValidationError({"start_date": "公示开始日期不能早于今天（北京时间）。"})


def publish_notice(
    *,
    call: Call,
    title: str,
    body: str,
    start_date: dt.date,
    contact_name: str,
    contact_phone: str,
    contact_address: str,
    user: User,
    at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> PublishResult:
    """Publish the notice and put every application of `call` in 征求意见 state on it; returns a PublishResult."""
    at = at or timezone.now()
    _check_publish(call=call, user=user, start_date=start_date, at=at)
    period = compute_notice_period(call=call, start_date=start_date)
    candidates = list(list_publishable_applications(call=call))
    if not candidates:
        raise ValidationError("该申报通知没有处于「拟授牌，征求意见中」状态的申报，无可公示的单位。", code="empty")
    notice = PublicNotice.objects.create(
        call=call,
        title=title.strip(),
        body=(body or "").strip(),
        start_date=period.start_date,
        end_date=period.end_date,
        working_days=period.working_days,
        counting=period.counting,
        contact_name=contact_name.strip(),
        contact_phone=contact_phone.strip(),
        contact_address=contact_address.strip(),
        published_by=user,
        published_at=at,
    )
    result = PublishResult(notice=notice)
    for position, application in enumerate(candidates, start=1):
        try:
            with transaction.atomic():
                application = fire_transition(
                    application=application, name="publish_in_notice", actor=user, at=at, request=request
                )
                NoticeEntry.objects.create(notice=notice, application=application, sort_order=position)
        except (ValidationError, PermissionDenied) as exc:
            reasons = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            result.refused.append((application, reasons))
        else:
            result.published.append(application)
    if not result.published:
        notice.delete()
        result.notice = None
    record_event(
        event="notice:publish",
        actor=user,
        target=result.notice,
        request=request,
        details={
            "call": call.slug,
            "start_date": period.start_date.isoformat(),
            "end_date": period.end_date.isoformat(),
            "published": [application.number for application in result.published],
            "refused": {application.number: reasons for application, reasons in result.refused},
        },
        result="success" if result.published else "failure",
    )
    return result


def decide_objection(
    *,
    objection: Objection,
    upheld: bool,
    investigation_note: str,
    reply: str,
    user: User,
    at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> Objection:
    """Record the investigation result: upheld (the unit is not awarded: `uphold_objection`) or not upheld.

    The objection's workflow (`workflow.MACHINE`: who decides, once; audited; the filer e-mailed when an address
    was given) records it. The reply is what the filer is told; it is also the reason the applicant reads when the
    objection is upheld.
    """
    at = at or timezone.now()
    reply = (reply or "").strip()
    investigation_note = (investigation_note or "").strip()
    errors: dict[str, Any] = {}
    if not investigation_note:
        errors["investigation_note"] = "请填写调查核实情况。"
    if not reply:
        errors["reply"] = "请填写对异议人的答复意见。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        decided = fire(
            machine=MACHINE,
            obj=objection,
            name="uphold" if upheld else "dismiss",
            actor=user,
            payload={"investigation_note": investigation_note, "reply": reply},
            at=at,
            request=request,
        )
        application = decided.entry.application
        if upheld and application.status == ApplicationStatus.IN_NOTICE:
            fire_transition(
                application=application, name="uphold_objection", actor=user, comment=reply, at=at, request=request
            )
    return decided
