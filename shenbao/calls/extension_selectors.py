"""Reading 延期提交: the deadline that holds for one unit, and a call's extensions for its administrator.

A unit's deadline is the call's, unless the 技能办 granted it a later one (a granted `DeadlineExtension`); every
place that asks whether a unit may still start or submit asks here, so the rule is the same everywhere:
open from the call's publication day up to and including the last second of the unit's deadline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from shenbao.organisations.models import Organisation

from .models import Call, DeadlineExtension, ExtensionState, first_late_instant


@dataclass(frozen=True)
class UnitDeadline:
    """The deadline that holds for one unit (the last in-time second) and the extension that set it, if any."""

    deadline: dt.datetime
    extension: DeadlineExtension | None
    published_on: dt.date

    @property
    def closes_at(self) -> dt.datetime:
        return first_late_instant(self.deadline)

    def is_open(self, *, at: dt.datetime) -> bool:
        """`Call.is_open` with this deadline: from the publication day (Beijing time) to the deadline's last second."""
        return self.published_on <= timezone.localtime(at).date() and at < self.closes_at


def find_granted_extension(*, call: Call, unit: Organisation | None) -> DeadlineExtension | None:
    if unit is None:
        return None
    return (
        DeadlineExtension.objects.select_related("granted_by")
        .filter(call=call, unit=unit, state=ExtensionState.GRANTED)
        .first()
    )


def get_unit_deadline(*, call: Call, unit: Organisation | None) -> UnitDeadline:
    """The call's deadline, or the unit's later one (an extension never shortens the call's time)."""
    return unit_deadline_of(call=call, extension=find_granted_extension(call=call, unit=unit))


def unit_deadline_of(*, call: Call, extension: DeadlineExtension | None) -> UnitDeadline:
    """The unit's deadline from the extension already read (None: it has none)."""
    if extension is not None and extension.deadline > call.submission_deadline:
        return UnitDeadline(deadline=extension.deadline, extension=extension, published_on=call.published_on)
    return UnitDeadline(deadline=call.submission_deadline, extension=None, published_on=call.published_on)


def is_open_for_unit(*, call: Call, unit: Organisation | None, at: dt.datetime | None = None) -> bool:
    """`Call.is_open` with the unit's own deadline."""
    return get_unit_deadline(call=call, unit=unit).is_open(at=at or timezone.now())


@dataclass(frozen=True)
class StartableCall:
    """A call a unit may start an application for now, with the deadline that holds for the unit."""

    call: Call
    deadline: dt.datetime
    extension: DeadlineExtension | None


def list_startable_calls(
    *, unit: Organisation, open_calls: Iterable[Call], at: dt.datetime | None = None
) -> list[StartableCall]:
    """`open_calls` (the unit's city's open calls), each with the unit's deadline, then the calls past their own
    deadline that an extension keeps open for `unit` alone — one query for the unit's extensions."""
    at = at or timezone.now()
    granted = {
        extension.call_id: extension
        for extension in DeadlineExtension.objects.select_related("call__city")
        .filter(unit=unit, state=ExtensionState.GRANTED)
        .order_by("call__submission_deadline", "call__slug")
    }
    startable = []
    for call in open_calls:
        own = unit_deadline_of(call=call, extension=granted.pop(call.pk, None))
        startable.append(StartableCall(call=call, deadline=own.deadline, extension=own.extension))
    for extension in granted.values():
        call = extension.call
        public = call.is_published and (settings.SHENBAO_SHOW_PRACTICE_CALLS or not call.is_practice)
        if public and unit_deadline_of(call=call, extension=extension).is_open(at=at):
            startable.append(StartableCall(call=call, deadline=extension.deadline, extension=extension))
    return startable


def list_call_extensions(*, call: Call) -> QuerySet[DeadlineExtension]:
    """Every extension of `call`, granted ones first, newest first (the administrator's page)."""
    return (
        DeadlineExtension.objects.filter(call=call)
        .select_related("unit", "granted_by")
        .order_by("state", "-granted_at", "-pk")
    )


def get_call_extension(*, call: Call, public_id: str) -> DeadlineExtension:
    """One extension of `call` (DoesNotExist otherwise: another call's extension is not found)."""
    return DeadlineExtension.objects.select_related("call", "unit").get(call=call, public_id=public_id)


def granted_extension_exists() -> Exists:
    """For a query on applications: the unit holds a granted extension for the application's call (the staff
    list's 「延期提交」 flag)."""
    return Exists(
        DeadlineExtension.objects.filter(call=OuterRef("call"), unit=OuterRef("unit"), state=ExtensionState.GRANTED)
    )
