"""Demo data (演示数据): the practice call (「演示」), copied from the deployment's call by the call editor's own copy
service (`editing.copy_call` with `practice_on`) so its dates are relative to the day of seeding: published some
weeks ago, open for submission for some weeks more. Idempotent: a practice call already there is kept as it is.

The practice call asks for three experts per application at both stages and trims the highest and lowest of
three sheets (the call file's default is five), so a walk through it takes fewer score sheets; the change is made
with the editor's save service, like an administrator would, before it is published.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from .editing import copy_call, publish_call, save_call_changes
from .exports import export_call_document
from .models import Call

PRACTICE_SLUG_PREFIX = "practice-"
# 申报编号 YS… (演示): never mistaken for a real call's numbers.
PRACTICE_NUMBER_PREFIX = "YS"
DEMO_EXPERT_COUNT = 3


def practice_slug(source):
    return f"{PRACTICE_SLUG_PREFIX}{source.slug}"


def beijing_day(day, hour=10, minute=0):
    """`day` at `hour`:`minute` Beijing time (the project's TIME_ZONE)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@transaction.atomic
def ensure_practice_call(*, source, actor, today=None):
    """The practice call of `source` (created and published on first use); returns (call, created)."""
    existing = Call.objects.filter(slug=practice_slug(source)).first()
    if existing is not None:
        return existing, False
    today = today or timezone.localdate()
    call = copy_call(
        source=source,
        slug=practice_slug(source),
        year=today.year,
        application_number_prefix=f"{PRACTICE_NUMBER_PREFIX}{today.year}",
        actor=actor,
        practice_on=today,
    )
    document = export_call_document(call)
    for key in ("experts_per_application", "acceptance_experts_per_application", "trim_minimum_scores"):
        document[key] = min(document.get(key) or DEMO_EXPERT_COUNT, DEMO_EXPERT_COUNT)
    published_at = beijing_day(call.published_on, 9)
    call, _summary = save_call_changes(call=call, document=document, actor=actor, at=published_at)
    return publish_call(call=call, actor=actor, at=published_at), True
