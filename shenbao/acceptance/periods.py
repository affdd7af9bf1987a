"""Dates of the construction period (建设期: the project type's `construction_start` … `construction_end` in the
call file, notice 五), pure functions.

- Reports: one per calendar year the period touches (`calls.periods.construction_years`).
- A year's report is due on the project type's `progress_report_due` month/day of the following year (e.g.
  年度报告次年1月底前报送 is 1-31), a day past the month's end meaning its last day.
- The unit may apply for acceptance from the last day of the period on (期满申请验收).
- Rectification (整改) lasts the call's `rectification_months` from the day the failure was decided.
"""

import calendar
import datetime

from django.utils import timezone


def last_day_of_month(year, month):
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def report_due_on(project_type, year):
    """The day `year`'s report is due: the call file's month and day of the following year, clipped to the month."""
    month_end = last_day_of_month(year + 1, project_type.progress_report_due_month)
    return month_end.replace(day=min(project_type.progress_report_due_day, month_end.day))


def report_opens_on(project_type, year):
    """A year's report may be started from the first day of that year within the period."""
    return max(project_type.construction_start, datetime.date(year, 1, 1))


def acceptance_opens_on(project_type):
    return project_type.construction_end


def add_months(day, months):
    """The same day `months` later, clipped to the month's end (11-30 + 3 months → 02-28 / 02-29)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def rectification_due_on(project_type, decided_on):
    return add_months(decided_on, project_type.rectification_months)


def beijing_today(at=None):
    """The calendar day in Beijing (the project's TIME_ZONE) of `at` (default now)."""
    return timezone.localtime(at or timezone.now()).date()
