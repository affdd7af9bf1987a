"""工作日: the one working-day calendar of the platform.

China's official calendar: Monday–Friday work, weekends rest, except statutory holidays (rest) and 调休 make-up
working days (work). The State Council publishes each year's schedule around November. Sources, in order:

1. `CalendarDay` rows entered by an administrator: they win for any date, known year or not;
2. the `chinese_calendar` library (1.11.0 knows 2004–2026; it raises NotImplementedError for other years);
3. for a year the library does not know: plain weekdays/weekends, but only when an administrator marked that
   year complete (`CalendarYear.complete`) after entering its holidays. Otherwise the year is unknown and any
   computation touching it is refused with `CalendarUnknownError` — a period is never guessed.

The library's `find_workday` counts the start day itself when it is a working day, so "the Nth working day" is
computed here, with the counting convention made explicit (`first_day_counts`).
"""

import datetime

import chinese_calendar
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import CalendarDay, CalendarYear

# A notice period is days, not months; the bound stops a typo (count=5000) from walking the calendar for ages.
MAX_COUNT = 366


class CalendarUnknownError(ValidationError):
    """A date lies in a year whose holiday schedule nobody has entered; `year` tells the administrator which."""

    def __init__(self, *, year):
        self.year = year
        super().__init__(unknown_year_message(year), code="calendar_unknown")


def unknown_year_message(year):
    return _("%(year)s年的节假日安排尚未录入，请系统管理员/申报管理员在「工作日历」中录入国务院公布的安排后再计算") % {
        "year": year
    }


def library_knows(year):
    """Whether chinese_calendar has the official schedule of `year` (asked by probing: it raises otherwise)."""
    try:
        chinese_calendar.is_workday(datetime.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def _library_working_day(day):
    return chinese_calendar.is_workday(day)


class WorkingDayCalendar:
    """Loads each touched year's overrides once (one query per year), so a walk over many days stays cheap."""

    def __init__(self):
        self._years = {}

    def _year(self, year):
        if year not in self._years:
            known_by_library = library_knows(year)
            complete = CalendarYear.objects.filter(year=year, complete=True).exists()
            overrides = dict(
                CalendarDay.objects.filter(date__year=year).values_list("date", "is_working_day").order_by()
            )
            self._years[year] = (known_by_library, complete, overrides)
        return self._years[year]

    def source_of(self, day):
        """("override" | "library" | "weekday", is_working_day) for `day`; CalendarUnknownError if unknown."""
        known_by_library, complete, overrides = self._year(day.year)
        if day in overrides:
            return "override", overrides[day]
        if known_by_library:
            return "library", _library_working_day(day)
        if complete:
            return "weekday", day.weekday() < 5
        raise CalendarUnknownError(year=day.year)

    def is_working_day(self, day):
        return self.source_of(day)[1]


def is_working_day(*, day, calendar=None):
    """Whether `day` is a working day (工作日); CalendarUnknownError when its year has not been entered."""
    return (calendar or WorkingDayCalendar()).is_working_day(day)


def add_working_days(*, start, count, first_day_counts=True, calendar=None):
    """The last day of a period of `count` working days beginning at `start` (公示期截止日).

    first_day_counts=True: `start` is the first day when it is itself a working day (the usual notice practice:
    "公示期为12月20日至12月26日"); otherwise counting begins with the next working day.
    first_day_counts=False: the Civil Code convention (民法典第二百零一条): the first day is never counted.
    Every day walked must lie in a known year, else CalendarUnknownError names the first unknown year.
    """
    if count < 1 or count > MAX_COUNT:
        raise ValidationError(_("工作日天数应在1至%(max_count)s之间。") % {"max_count": MAX_COUNT}, code="count")
    calendar = calendar or WorkingDayCalendar()
    day = start if first_day_counts else start + datetime.timedelta(days=1)
    counted = 0
    while True:
        if calendar.is_working_day(day):
            counted += 1
            if counted == count:
                return day
        day += datetime.timedelta(days=1)
