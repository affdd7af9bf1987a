"""How many things wait for someone, and how many of them are past their deadline: the figures of a 待办.

Each app's selectors count their own rows with `count_pending`, one query whatever the number of rows, so the
dashboard (core.todos) costs the same with one item or a city's worth.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone


@dataclass(frozen=True)
class Pending:
    total: int = 0
    overdue: int = 0


def beijing_today(at: dt.datetime | None = None) -> dt.date:
    """Deadlines are calendar days in Beijing time; a deadline's own day is not yet overdue."""
    return timezone.localdate(at or timezone.now())


def count_pending(queryset: QuerySet[Any], *, due: str | None = None, today: dt.date | None = None) -> Pending:
    """`queryset`'s rows, and those whose date field `due` is before `today` (the deadline's day still counts)."""
    if due is None:
        return Pending(total=queryset.count())
    figures = queryset.order_by().aggregate(
        total=Count("pk", distinct=True), overdue=Count("pk", filter=Q(**{f"{due}__lt": today}), distinct=True)
    )
    return Pending(total=figures["total"], overdue=figures["overdue"])
