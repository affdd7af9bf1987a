"""Writes about the 答辩 (defence) schedule: sessions of a panel, one time slot per applicant, the notices.

Slots are generated one after another from the session's start time (陈述 then 问答 minutes each) and can be
edited one by one; an edited slot is told to its applicant again at the next notice. Times never overlap
within a session and never run past midnight.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shenbao.applications.selectors import list_applications
from shenbao.applications.workflow import ApplicationStatus
from shenbao.audit.services import record_event
from shenbao.core.days import format_day
from shenbao.notifications.recipients import APPLICANT, list_recipients
from shenbao.notifications.services import create_notifications, in_working_language

from .models import DefenceSession, DefenceSlot, Panel
from .rules import administered_city

MAX_MINUTES = 240


def _require_admin(actor, panel):
    city = administered_city(actor)
    if city is None or panel.call.city_id != city.pk:
        raise ValidationError(_("只有本市申报管理员可以安排答辩。"), code="not_admin")


def _check_minutes(presentation_minutes, questions_minutes):
    errors = {}
    if not presentation_minutes or not 1 <= presentation_minutes <= MAX_MINUTES:
        errors["presentation_minutes"] = _("陈述时长应为1至%(max_minutes)s分钟。") % {"max_minutes": MAX_MINUTES}
    if questions_minutes is None or not 0 <= questions_minutes <= MAX_MINUTES:
        errors["questions_minutes"] = _("问答时长应为0至%(max_minutes)s分钟。") % {"max_minutes": MAX_MINUTES}
    if errors:
        raise ValidationError(errors)


def _end_time(starts_at, minutes):
    start = datetime.datetime.combine(datetime.date(2000, 1, 1), starts_at)
    end = start + datetime.timedelta(minutes=minutes)
    if end.date() != start.date():
        raise ValidationError({"starts_at": _("答辩时段不能跨过午夜，请调整开始时间或时长。")})
    return end.time()


def _lock_session(session):
    return DefenceSession.objects.select_for_update(of=("self",)).select_related("panel__call").get(pk=session.pk)


@transaction.atomic
def create_session(
    *, panel, actor, date, start_time, place, presentation_minutes, questions_minutes, note="", request=None
):
    """A defence session (答辩场次) of `panel`: day, start time, place and the default slot lengths."""
    panel = Panel.objects.select_related("call").get(pk=panel.pk)
    _require_admin(actor, panel)
    _check_minutes(presentation_minutes, questions_minutes)
    place = (place or "").strip()
    if not place:
        raise ValidationError({"place": _("请填写答辩地点。")})
    session = DefenceSession.objects.create(
        panel=panel,
        date=date,
        start_time=start_time,
        place=place,
        presentation_minutes=presentation_minutes,
        questions_minutes=questions_minutes,
        note=(note or "").strip(),
        created_by=actor,
    )
    record_event(event="experts:create_session", actor=actor, target=session, request=request)
    return session


@transaction.atomic
def update_session(
    *, session, actor, date, start_time, place, presentation_minutes, questions_minutes, note="", request=None
):
    """Change a session; a new day or place means every applicant of it is told again."""
    session = _lock_session(session)
    _require_admin(actor, session.panel)
    _check_minutes(presentation_minutes, questions_minutes)
    place = (place or "").strip()
    if not place:
        raise ValidationError({"place": _("请填写答辩地点。")})
    moved = session.date != date or session.place != place
    session.date, session.start_time, session.place = date, start_time, place
    session.presentation_minutes, session.questions_minutes = presentation_minutes, questions_minutes
    session.note = (note or "").strip()
    session.save()
    if moved:
        session.slots.update(notified_at=None)
    record_event(event="experts:update_session", actor=actor, target=session, request=request)
    return session


def _applications_without_slot(panel):
    return (
        list_applications(
            call=panel.call_id, project_type=panel.project_type_id, statuses=(ApplicationStatus.EXPERT_REVIEW,)
        )
        .filter(defence_slot__isnull=True)
        .select_related("unit")
        .order_by("number", "pk")
    )


@transaction.atomic
def generate_slots(*, session, actor, request=None):
    """Give every application of the panel in 专家评审 without a slot one, in number order, after the last slot.

    Each slot takes the session's 陈述 + 问答 minutes; returns the new slots (none when all are scheduled).
    """
    session = _lock_session(session)
    _require_admin(actor, session.panel)
    last = session.slots.order_by("-ends_at").first()
    starts_at = last.ends_at if last else session.start_time
    sequence = (session.slots.aggregate(top=Max("sequence"))["top"] or 0) + 1
    length = session.presentation_minutes + session.questions_minutes
    created = []
    for application in _applications_without_slot(session.panel):
        ends_at = _end_time(starts_at, length)
        created.append(
            DefenceSlot.objects.create(
                session=session,
                application=application,
                sequence=sequence,
                starts_at=starts_at,
                presentation_minutes=session.presentation_minutes,
                questions_minutes=session.questions_minutes,
                ends_at=ends_at,
            )
        )
        starts_at, sequence = ends_at, sequence + 1
    if created:
        record_event(
            event="experts:generate_slots",
            actor=actor,
            target=session,
            request=request,
            details={"slots": len(created)},
        )
    return created


def _overlapping(slot, starts_at, ends_at):
    return (
        DefenceSlot.objects.filter(session=slot.session_id, starts_at__lt=ends_at, ends_at__gt=starts_at)
        .exclude(pk=slot.pk)
        .select_related("application__unit")
        .first()
    )


@transaction.atomic
def update_slot(*, slot, actor, starts_at, presentation_minutes, questions_minutes, request=None):
    """Move or lengthen one slot; refused when it would overlap another slot of the session."""
    session = _lock_session(slot.session)
    _require_admin(actor, session.panel)
    slot = DefenceSlot.objects.select_for_update().get(pk=slot.pk)
    _check_minutes(presentation_minutes, questions_minutes)
    ends_at = _end_time(starts_at, presentation_minutes + questions_minutes)
    clash = _overlapping(slot, starts_at, ends_at)
    if clash is not None:
        raise ValidationError(
            {
                "starts_at": _("与第%(sequence)s位「%(name)s」的时段重叠，请调整。")
                % {"sequence": clash.sequence, "name": clash.application.unit.name}
            }
        )
    slot.starts_at, slot.ends_at = starts_at, ends_at
    slot.presentation_minutes, slot.questions_minutes = presentation_minutes, questions_minutes
    slot.notified_at = None
    slot.save()
    _renumber(session)
    record_event(event="experts:update_slot", actor=actor, target=slot, request=request)
    return slot


def _renumber(session):
    """Sequence follows start time, so the printed order is the order of the day."""
    for number, slot in enumerate(session.slots.order_by("starts_at", "pk"), start=1):
        if slot.sequence != number:
            DefenceSlot.objects.filter(pk=slot.pk).update(sequence=number)


@transaction.atomic
def delete_slot(*, slot, actor, request=None):
    """Take an applicant off the session (to schedule it in another one)."""
    session = _lock_session(slot.session)
    _require_admin(actor, session.panel)
    details = {"application": slot.application.number}
    slot.delete()
    _renumber(session)
    record_event(event="experts:delete_slot", actor=actor, target=session, request=request, details=details)


def describe_slot(slot, session):
    return _("%(day)s %(start)s—%(end)s，地点：%(place)s。陈述%(talk)s分钟，答辩问答%(questions)s分钟。") % {
        "day": format_day(session.date),
        "start": f"{slot.starts_at:%H:%M}",
        "end": f"{slot.ends_at:%H:%M}",
        "place": session.place,
        "talk": slot.presentation_minutes,
        "questions": slot.questions_minutes,
    }


@transaction.atomic
def notify_applicants(*, session, actor, at=None, request=None):
    """Tell the applicants of every slot not told yet (site inbox + e-mail); returns how many slots were told."""
    at = at or timezone.now()
    session = _lock_session(session)
    _require_admin(actor, session.panel)
    slots = list(
        session.slots.select_for_update(of=("self",))
        .filter(notified_at__isnull=True)
        .select_related("application", "application__unit", "application__project_type")
        .order_by("sequence")
    )
    url = reverse("experts:my_defence")
    for slot in slots:
        application = slot.application
        recipients = [user for user, _audience in list_recipients(application=application, audiences=(APPLICANT,))]
        with in_working_language():
            title = _("答辩安排：%(number)s") % {"number": application.number}
            body = _("贵单位申报的%(type)s答辩时间：%(slot)s请按时参加。") % {
                "type": application.project_type.name,
                "slot": describe_slot(slot, session),
            }
        create_notifications(
            recipients=recipients,
            event="experts:defence_scheduled",
            title=title,
            body=body,
            url=url,
            application=application,
            at=at,
        )
    if slots:
        DefenceSlot.objects.filter(pk__in=[slot.pk for slot in slots]).update(notified_at=at)
        DefenceSession.objects.filter(pk=session.pk).update(notified_at=at)
        record_event(
            event="experts:notify_defence", actor=actor, target=session, request=request, details={"slots": len(slots)}
        )
    return len(slots)
