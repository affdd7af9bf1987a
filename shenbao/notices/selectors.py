"""Reading notices and objections: the period (Beijing time), public lists, the administrator's scoped lists.

A notice is open from 00:00 of its start date to 24:00 of its end date, Beijing time; its status is derived
from the dates at the moment asked, so the notice closes by itself and no job has to run.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from shenbao.applications.selectors import list_applications
from shenbao.applications.workflow import ApplicationStatus
from shenbao.core.pending import count_pending

from .models import NoticeEntry, Objection, ObjectionEvidence, PublicNotice
from .rules import admin_notices_q

if TYPE_CHECKING:
    from shenbao.accounts.rules import AnyUser
    from shenbao.applications.models import Application
    from shenbao.calls.models import Call
    from shenbao.core.pending import Pending
    from shenbao.organisations.models import Region

BEIJING = ZoneInfo("Asia/Shanghai")
UPCOMING, OPEN, CLOSED = "upcoming", "open", "closed"
STATUS_LABELS = {UPCOMING: "未开始", OPEN: "公示中", CLOSED: "已结束"}


def beijing_date(at: datetime.datetime | None = None) -> datetime.date:
    return timezone.localtime(at or timezone.now(), BEIJING).date()


def notice_opens_at(notice: PublicNotice) -> datetime.datetime:
    return datetime.datetime.combine(notice.start_date, datetime.time.min, tzinfo=BEIJING)


def notice_closes_at(notice: PublicNotice) -> datetime.datetime:
    """The first instant after the period: 00:00 Beijing time of the day after the end date."""
    return datetime.datetime.combine(notice.end_date + datetime.timedelta(days=1), datetime.time.min, tzinfo=BEIJING)


def get_notice_status(*, notice: PublicNotice, at: datetime.datetime | None = None) -> str:
    at = at or timezone.now()
    if at < notice_opens_at(notice):
        return UPCOMING
    if at < notice_closes_at(notice):
        return OPEN
    return CLOSED


def is_notice_closed(*, notice: PublicNotice, at: datetime.datetime | None = None) -> bool:
    return get_notice_status(notice=notice, at=at) == CLOSED


def public_notices(*, at: datetime.datetime | None = None, city: Region | int | None = None) -> QuerySet[PublicNotice]:
    """Notices whose period has begun (an upcoming one is not public yet), of `city`'s calls when given."""
    notices = PublicNotice.objects.filter(start_date__lte=beijing_date(at))
    return notices if city is None else notices.filter(call__city=city)


def list_public_notices(
    *, at: datetime.datetime | None = None, city: Region | int | None = None
) -> QuerySet[PublicNotice]:
    """Notices whose period has begun (an upcoming one is not public yet), newest first, with their unit count."""
    return (
        public_notices(at=at, city=city)
        .select_related("call")
        .annotate(entry_count=Count("entries"))
        .order_by("-start_date", "-id")
    )


def list_open_notices(
    *, at: datetime.datetime | None = None, city: Region | int | None = None
) -> QuerySet[PublicNotice]:
    """Notices in their period now (公示中, objections taken), of `city`'s calls when given; ending soonest first."""
    return public_notices(at=at, city=city).filter(end_date__gte=beijing_date(at)).order_by("end_date", "id")


def label_public_notices(notices: Iterable[PublicNotice], *, at: datetime.datetime | None = None) -> list[PublicNotice]:
    """`notices` as a list, each with `status_label` (未开始/公示中/已结束 at `at`) and `is_open` (objections are
    taken), for the public lists."""
    labelled = list(notices)
    for notice in labelled:
        status = get_notice_status(notice=notice, at=at)
        notice.status_label, notice.is_open = STATUS_LABELS[status], status == OPEN
    return labelled


def get_public_notice(*, public_id: uuid.UUID | str, at: datetime.datetime | None = None) -> PublicNotice:
    """A notice visible to the public; PublicNotice.DoesNotExist (→ 404) before its start date."""
    return PublicNotice.objects.select_related("call").get(public_id=public_id, start_date__lte=beijing_date(at))


def list_notice_entries(*, notice: PublicNotice) -> QuerySet[NoticeEntry]:
    return (
        NoticeEntry.objects.filter(notice=notice)
        .select_related(
            "application__unit__region", "application__project_type", "application__unit__competent_department"
        )
        .order_by("application__project_type__sort_order", "sort_order", "id")
    )


def get_notice_for_application(*, application: Application) -> PublicNotice | None:
    """The notice listing `application`, or None when it has not been published."""
    entry = NoticeEntry.objects.select_related("notice__call").filter(application=application).first()
    return entry.notice if entry else None


def pending_objections_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}status": Objection.Status.PENDING})


def count_pending_objections(*, application: Application) -> int:
    return Objection.objects.filter(entry__application=application, status=Objection.Status.PENDING).count()


def list_awardable_applications(*, notice: PublicNotice, at: datetime.datetime | None = None) -> QuerySet[Application]:
    """Applications of `notice` the administrator may award now: the notice has closed (Beijing time), the unit is
    still in notice (no upheld objection) and no objection about it is pending. Empty before the notice closes."""
    applications = list_applications(call=notice.call_id, statuses=(ApplicationStatus.IN_NOTICE,))
    if not is_notice_closed(notice=notice, at=at):
        return applications.none()
    return (
        applications.filter(notice_entry__notice=notice)
        .exclude(pending_objection_exists())
        .select_related("unit__region", "project_type")
        .order_by("project_type__sort_order", "notice_entry__sort_order", "pk")
    )


def list_publishable_applications(*, call: Call) -> QuerySet[Application]:
    """Applications of `call` whose opinion solicitation is under way or done (the publish guard decides)."""
    return (
        list_applications(call=call, statuses=(ApplicationStatus.SOLICITING,))
        .select_related("unit__region", "project_type")
        .order_by("project_type__sort_order", "number")
    )


def list_admin_notices(*, user: AnyUser) -> QuerySet[PublicNotice]:
    return (
        PublicNotice.objects.filter(admin_notices_q(user))
        .select_related("call", "published_by")
        .annotate(
            entry_count=Count("entries", distinct=True),
            pending_count=Count("objections", filter=Q(objections__status=Objection.Status.PENDING), distinct=True),
        )
        .order_by("-start_date", "-id")
    )


def get_admin_notice(*, user: AnyUser, public_id: uuid.UUID | str) -> PublicNotice:
    return PublicNotice.objects.select_related("call", "published_by").get(admin_notices_q(user), public_id=public_id)


def list_entries_with_objection_counts(*, notice: PublicNotice) -> QuerySet[NoticeEntry]:
    return list_notice_entries(notice=notice).annotate(
        objection_count=Count("objections", distinct=True),
        pending_count=Count("objections", filter=Q(objections__status=Objection.Status.PENDING), distinct=True),
    )


def list_admin_objections(
    *, user: AnyUser, status: str = "", notice: PublicNotice | None = None
) -> QuerySet[Objection]:
    objections = Objection.objects.filter(admin_notices_q(user, prefix="notice__"))
    if status:
        objections = objections.filter(status=status)
    if notice is not None:
        objections = objections.filter(notice=notice)
    return objections.select_related("notice", "entry__application__unit", "entry__application__project_type").order_by(
        "-filed_at", "-id"
    )


def get_admin_objection(*, user: AnyUser, public_id: uuid.UUID | str) -> Objection:
    return (
        Objection.objects.select_related(
            "notice__call", "entry__application__unit__region", "entry__application__project_type", "decided_by"
        )
        .prefetch_related("evidence")
        .get(admin_notices_q(user, prefix="notice__"), public_id=public_id)
    )


def get_admin_evidence(*, user: AnyUser, public_id: uuid.UUID | str) -> ObjectionEvidence:
    return ObjectionEvidence.objects.select_related("objection").get(
        admin_notices_q(user, prefix="objection__notice__"), public_id=public_id
    )


def count_objections_to_answer(*, user: AnyUser) -> Pending:
    """公示异议待处理 (core.todos): the pending objections of the administrator's notices."""
    return count_pending(list_admin_objections(user=user, status=Objection.Status.PENDING))


def count_awardable_applications(*, user: AnyUser, at: datetime.datetime | None = None) -> Pending:
    """公示期满待授牌 (core.todos): units of the administrator's closed notices with no pending objection."""
    today = beijing_date(at)
    awardable = (
        list_applications(user=user, statuses=(ApplicationStatus.IN_NOTICE,))
        .filter(notice_entry__notice__in=PublicNotice.objects.filter(admin_notices_q(user), end_date__lt=today))
        .exclude(pending_objection_exists())
    )
    return count_pending(awardable)


def pending_objection_exists(*, outer: str = "pk") -> Exists:
    """An Exists on the application `outer`: an objection about it is still pending (it blocks the award), for
    annotating a list of applications in the same query."""
    return Exists(Objection.objects.filter(entry__application=OuterRef(outer), status=Objection.Status.PENDING))


def list_public_notices_of_call(*, call: Call, at: datetime.datetime | None = None) -> list[PublicNotice]:
    """The public notices (公示) of `call` whose period has begun, oldest first, labelled like the public lists."""
    notices = (
        public_notices(at=at, city=call.city_id).filter(call=call).select_related("call").order_by("start_date", "id")
    )
    return label_public_notices(notices, at=at)
