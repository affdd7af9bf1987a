"""Days as the platform writes and reads them: a date in messages (in the language being written), a due date
posted by a form. Every app that states or takes a due date uses these, so a day reads the same in every message."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _


def format_day(day: datetime.date) -> str:
    return _("%(year)s年%(month)s月%(day)s日") % {"year": day.year, "month": day.month, "day": day.day}


def parse_due_date(value: object) -> datetime.date | None:
    """A date from a date, or from "YYYY-MM-DD" as posted; None when absent or malformed."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip()) if value else None
    except ValueError:
        return None
