"""Maintaining the working-day calendar: single entries, the State Council's yearly schedule, a year's completeness.

Import format, one line per date or range (blank lines and lines starting with # are ignored):

    2027-01-01~2027-01-03 休 元旦
    2027-02-07 班 春节调休

"~" may also be written "～", "至" or "-" between two dates; 休 = rest day (holiday), 班 = make-up working day.
The whole text is checked first and every error is reported with its line number; only a text without errors is
written, in one transaction, so a schedule is never half-imported.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext

from shenbao.audit.services import record_event

from .calendar import WorkingDayCalendar, library_knows
from .models import CalendarDay, CalendarYear

if TYPE_CHECKING:
    from shenbao.accounts.models import User


KINDS = {"休": False, "班": True}
DEFAULT_NAMES = {False: "节假日", True: "调休上班"}
MAX_RANGE_DAYS = 31
MAX_TEXT_LENGTH = 20000
DATE = r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
LINE_RE = re.compile(rf"^{DATE}(?:\s*(?:~|～|至|--?)\s*{DATE})?\s+(\S)\s*(.*)$")
WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class ScheduleDay:
    date: datetime.date
    is_working_day: bool
    name: str
    line: int
    current: bool | None = None  # what the calendar says now (None: the year is not known yet)

    @property
    def weekday(self) -> str:
        return f"周{WEEKDAYS[self.date.weekday()]}"

    @property
    def changes(self) -> bool:
        return self.current is None or self.current != self.is_working_day


def _date(parts: Sequence[str]) -> datetime.date:
    year, month, day = (int(part) for part in parts)
    return datetime.date(year, month, day)


def _parse_line(number: int, line: str, year: int) -> list[tuple[datetime.date, bool, str]]:
    match = LINE_RE.match(line)
    if not match:
        raise ValueError(
            gettext("第%(number)s行：格式应为「2027-01-01~2027-01-03 休 元旦」或「2027-02-07 班 春节调休」")
            % {"number": number}
        )
    groups = match.groups()
    try:
        first = _date(groups[0:3])
        last = _date(groups[3:6]) if groups[3] else first
    except ValueError as exc:
        raise ValueError(gettext("第%(number)s行：日期无效") % {"number": number}) from exc
    kind, name = groups[6], groups[7].strip()
    if kind not in KINDS:
        raise ValueError(
            gettext("第%(number)s行：类别应为「休」（放假）或「班」（调休上班），不能是「%(kind)s」")
            % {"number": number, "kind": kind}
        )
    if last < first:
        raise ValueError(gettext("第%(number)s行：结束日期早于开始日期") % {"number": number})
    if (last - first).days >= MAX_RANGE_DAYS:
        raise ValueError(
            gettext("第%(number)s行：一个日期范围不能超过%(max_range_days)s天")
            % {"number": number, "max_range_days": MAX_RANGE_DAYS}
        )
    # A holiday may cross New Year (e.g. 2018-12-30 ~ 2019-01-01), so the neighbouring month is allowed.
    lowest, highest = datetime.date(year - 1, 12, 1), datetime.date(year + 1, 1, 31)
    if first < lowest or last > highest:
        raise ValueError(gettext("第%(number)s行：日期不在%(year)s年的安排范围内") % {"number": number, "year": year})
    is_working = KINDS[kind]
    name = name[:64] or DEFAULT_NAMES[is_working]
    return [(first + datetime.timedelta(days=offset), is_working, name) for offset in range((last - first).days + 1)]


def parse_schedule(*, text: str, year: int | str) -> list[ScheduleDay]:
    """The days of a pasted schedule, in date order; ValidationError listing every line's error ("第3行:…")."""
    if not 2000 <= int(year) <= 2100:
        raise ValidationError(gettext("年份无效。"), code="year")
    text = (text or "").replace("\r\n", "\n").replace("\ufeff", "")
    if len(text) > MAX_TEXT_LENGTH:
        raise ValidationError(gettext("内容过长，请只录入一个年度的安排。"), code="too_long")
    errors: list[str] = []
    seen: dict[datetime.date, int] = {}
    days: list[ScheduleDay] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            parsed = _parse_line(number, line, int(year))
        except ValueError as exc:
            errors.append(str(exc))
            continue
        for date, is_working, name in parsed:
            if date in seen:
                errors.append(
                    gettext("第%(number)s行：%(date)s已在第%(seen)s行出现")
                    % {"number": number, "date": format(date, "%Y-%m-%d"), "seen": seen[date]}
                )
                continue
            seen[date] = number
            days.append(ScheduleDay(date=date, is_working_day=is_working, name=name, line=number))
    if errors:
        raise ValidationError(errors, code="schedule")
    if not days:
        raise ValidationError(gettext("没有可导入的日期，请粘贴国务院公布的放假和调休安排。"), code="empty")
    return sorted(days, key=lambda item: item.date)


def preview_schedule(*, text: str, year: int | str) -> list[ScheduleDay]:
    """`parse_schedule` plus what the calendar says for each date now, so the administrator sees the changes."""
    calendar = WorkingDayCalendar()
    days: list[ScheduleDay] = []
    for item in parse_schedule(text=text, year=year):
        try:
            current = calendar.is_working_day(item.date)
        except ValidationError:
            current = None
        days.append(ScheduleDay(**{**item.__dict__, "current": current}))
    return days


def _save_day(
    *, date: datetime.date, is_working_day: bool, name: str, note: str, user: User, at: datetime.datetime
) -> None:
    CalendarDay.objects.update_or_create(
        date=date,
        defaults={"is_working_day": is_working_day, "name": name, "note": note, "entered_by": user, "entered_at": at},
    )


def import_schedule(
    *,
    text: str,
    year: int,
    source: str,
    mark_complete: bool,
    user: User,
    at: datetime.datetime | None = None,
    request: HttpRequest | None = None,
) -> list[ScheduleDay]:
    """Write every day of a schedule (all or nothing) and optionally mark `year` complete; returns the days."""
    at = at or timezone.now()
    days = parse_schedule(text=text, year=year)
    source = (source or "").strip()
    if mark_complete and not source:
        raise ValidationError(
            gettext("标记为已完整录入时须填写依据（如国务院办公厅关于部分节假日安排的通知）。"), code="source"
        )
    with transaction.atomic():
        for item in days:
            _save_day(date=item.date, is_working_day=item.is_working_day, name=item.name, note=source, user=user, at=at)
        if mark_complete:
            _mark(year=year, complete=True, source=source, user=user, at=at)
        record_event(
            event="calendar:import",
            actor=user,
            request=request,
            details={"year": year, "days": len(days), "source": source, "mark_complete": bool(mark_complete)},
        )
    return days


def set_calendar_day(
    *,
    date: datetime.date,
    is_working_day: bool,
    name: str = "",
    note: str = "",
    user: User,
    at: datetime.datetime | None = None,
    request: HttpRequest | None = None,
) -> None:
    """Enter or change one date's status (e.g. an extra 调休 day announced late)."""
    at = at or timezone.now()
    name = (name or "").strip() or DEFAULT_NAMES[bool(is_working_day)]
    with transaction.atomic():
        _save_day(date=date, is_working_day=bool(is_working_day), name=name, note=note or "", user=user, at=at)
        record_event(
            event="calendar:set_day",
            actor=user,
            request=request,
            details={"date": date.isoformat(), "is_working_day": bool(is_working_day), "name": name},
        )


def remove_calendar_day(*, date: datetime.date, user: User, request: HttpRequest | None = None) -> bool:
    """Remove an override: the date falls back to the library (or to weekday/weekend in an entered year)."""
    with transaction.atomic():
        deleted, _ = CalendarDay.objects.filter(date=date).delete()
        if deleted:
            record_event(event="calendar:remove_day", actor=user, request=request, details={"date": date.isoformat()})
    return bool(deleted)


def _mark(*, year: int, complete: bool, source: str, user: User, at: datetime.datetime) -> None:
    CalendarYear.objects.update_or_create(
        year=year,
        defaults={
            "complete": complete,
            "source": source,
            "confirmed_by": user if complete else None,
            "confirmed_at": at if complete else None,
        },
    )


def mark_year(
    *,
    year: int,
    complete: bool,
    source: str = "",
    user: User,
    at: datetime.datetime | None = None,
    request: HttpRequest | None = None,
) -> None:
    """Mark `year` as completely entered (with its source document) or withdraw that mark."""
    at = at or timezone.now()
    source = (source or "").strip()
    if complete and not source:
        raise ValidationError(gettext("请填写依据（如国务院办公厅关于部分节假日安排的通知）。"), code="source")
    with transaction.atomic():
        _mark(year=year, complete=complete, source=source, user=user, at=at)
        record_event(
            event="calendar:mark_year",
            actor=user,
            request=request,
            details={"year": year, "complete": complete, "source": source},
        )


@dataclass(frozen=True)
class MonthSummary:
    month: int
    working_days: int | None  # None: the year is not known
    # (date, is_working_day, source): weekday holidays, weekend make-up days, overrides
    special_days: list[tuple[datetime.date, bool, str]]


@dataclass(frozen=True)
class YearOverview:
    year: int
    known_by_library: bool
    record: CalendarYear | None
    overrides: list[CalendarDay]
    months: list[MonthSummary]

    @property
    def computable(self) -> bool:
        return self.known_by_library or bool(self.record and self.record.complete)


def _month_summary(calendar: WorkingDayCalendar, year: int, month: int) -> MonthSummary:
    day, working_days = datetime.date(year, month, 1), 0
    special: list[tuple[datetime.date, bool, str]] = []
    while day.month == month:
        try:
            source, working = calendar.source_of(day)
        except ValidationError:
            return MonthSummary(month=month, working_days=None, special_days=[])
        working_days += int(working)
        if source == "override" or working != (day.weekday() < 5):
            special.append((day, working, source))
        day += datetime.timedelta(days=1)
    return MonthSummary(month=month, working_days=working_days, special_days=special)


def get_year_overview(*, year: int) -> YearOverview:
    """What the calendar page shows for a year: status, the administrator's entries, each month's working days."""
    record = CalendarYear.objects.select_related("confirmed_by").filter(year=year).first()
    overrides = list(CalendarDay.objects.filter(date__year=year).select_related("entered_by").order_by("date"))
    calendar = WorkingDayCalendar()
    months = [_month_summary(calendar, year, month) for month in range(1, 13)]
    return YearOverview(
        year=year, known_by_library=library_knows(year), record=record, overrides=overrides, months=months
    )
