"""Reading the audit trail: filtering, keyset pagination and change sets for display.

The table grows to millions of rows, so pages never COUNT(*) and never use OFFSET. Pages are cut on
(timestamp, id), newest first, and each page is one indexed range scan: `audit_recent` (-timestamp, -id)
or the per-filter indexes (actor, event, type, object, source IP, all ending in -timestamp).
"""

import contextlib
import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from auditlog.registry import auditlog
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from .chain import Verification, read_head, verify_chain
from .events import Event
from .models import AuditEntry

BEIJING = ZoneInfo("Asia/Shanghai")
NEWEST_FIRST = ("-timestamp", "-id")
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def list_tracked_types() -> list[tuple[str, str]]:
    """(value, label) for the models auditlog tracks, for the object-type filter."""
    models = sorted(auditlog.get_models(), key=lambda model: str(model._meta.verbose_name))
    return [(model._meta.label_lower, str(model._meta.verbose_name)) for model in models]


def _beijing_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=BEIJING)


def filter_entries(
    *,
    actor: str | None = None,
    event: str | None = None,
    object_type: str | None = None,
    object_id: object = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    remote_addr: str | None = None,
    result: str | None = None,
) -> QuerySet[AuditEntry]:
    """Audit entries matching every given filter, newest first. Dates are Beijing calendar days, inclusive.

    `actor` is a user name: it matches the acting user, and failed log-ins attempted with that name.
    `object_type` is "app_label.model".
    """
    entries = (
        AuditEntry.objects.select_related("actor", "content_type")
        .defer("serialized_data", "changes_text")
        .order_by(*NEWEST_FIRST)
    )
    if actor:
        # The person's entries are found through their own indexes (by actor; failed log-ins by event), then read
        # and ordered: an OR in the WHERE clause made PostgreSQL walk the time index of the whole trail, filtering
        # every row, for a person with few entries (184 ms at a million entries, against 0.6 ms this way).
        actor_ids = get_user_model().objects.filter(username=actor).values("pk")
        acted = AuditEntry.objects.filter(actor__in=actor_ids).order_by().values("pk")
        failed = AuditEntry.objects.filter(event=Event.LOGIN_FAILED, additional_data__username=actor)
        entries = entries.filter(pk__in=acted.union(failed.order_by().values("pk"), all=True))
    if event:
        entries = entries.filter(event=event)
    if object_type:
        app_label, _, model = object_type.partition(".")
        entries = entries.filter(content_type__app_label=app_label, content_type__model=model)
    if object_id:
        entries = entries.filter(object_pk=str(object_id))
    if date_from:
        entries = entries.filter(timestamp__gte=_beijing_midnight(date_from))
    if date_to:
        entries = entries.filter(timestamp__lt=_beijing_midnight(date_to + dt.timedelta(days=1)))
    if remote_addr:
        entries = entries.filter(remote_addr=remote_addr)
    if result:
        entries = entries.filter(result=result)
    return entries


def encode_cursor(entry: AuditEntry) -> str:
    micros = (entry.timestamp - EPOCH) // dt.timedelta(microseconds=1)
    return f"{micros}-{entry.pk}"


def decode_cursor(value: str) -> tuple[dt.datetime, int] | None:
    """(timestamp, id) from a cursor string, or None when it is malformed."""
    try:
        micros, pk = (int(part) for part in value.split("-"))
        moment = EPOCH + dt.timedelta(microseconds=micros)
    except (ValueError, OverflowError, AttributeError):
        return None
    return moment, pk


@dataclass(frozen=True)
class KeysetPage:
    entries: list[AuditEntry]
    newer_cursor: str | None  # "before" cursor for the previous (newer) page
    older_cursor: str | None  # "after" cursor for the next (older) page


def page_entries(
    *, entries: QuerySet[AuditEntry], size: int, after: str | None = None, before: str | None = None
) -> KeysetPage:
    """One page of `entries` (ordered newest first) after or before a cursor; one query of size + 1 rows.

    `after` walks to older entries, `before` back to newer ones. A malformed cursor gives the first page.
    """
    after_key = decode_cursor(after) if after else None
    before_key = decode_cursor(before) if before else None
    if before_key:
        moment, pk = before_key
        # `timestamp >= t` is the index range; the OR only sorts out the rows sharing that exact instant.
        window = entries.filter(timestamp__gte=moment).filter(Q(timestamp__gt=moment) | Q(id__gt=pk))
        rows = list(window.order_by("timestamp", "id")[: size + 1])
        has_newer = len(rows) > size
        rows = rows[:size][::-1]
        has_older = True
    else:
        if after_key:
            moment, pk = after_key
            entries = entries.filter(timestamp__lte=moment).filter(Q(timestamp__lt=moment) | Q(id__lt=pk))
        rows = list(entries[: size + 1])
        has_older = len(rows) > size
        rows = rows[:size]
        has_newer = after_key is not None
    return KeysetPage(
        entries=rows,
        newer_cursor=encode_cursor(rows[0]) if rows and has_newer else None,
        older_cursor=encode_cursor(rows[-1]) if rows and has_older else None,
    )


def get_entry(*, pk: int) -> AuditEntry:
    return AuditEntry.objects.select_related("actor", "content_type").get(pk=pk)


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(_text(item) for item in value)
    return str(value)


def describe_changes(entry: AuditEntry) -> list[FieldChange]:
    """The change set as (field, old, new) with the field's Chinese name where the model still has it."""
    changes = entry.changes or {}
    model = entry.content_type.model_class() if entry.content_type is not None else None
    described: list[FieldChange] = []
    for name, values in changes.items():
        label = name
        if model is not None:
            with contextlib.suppress(FieldDoesNotExist):
                # A reverse relation (auditlog lists them on create) has no verbose_name: keep its name.
                label = str(getattr(model._meta.get_field(name), "verbose_name", name))
        if isinstance(values, list | tuple) and len(values) == 2:
            old, new = values
        else:
            # auditlog's many-to-many entries: {"type": "m2m", "operation": …, "objects": […]}
            old, new = "", values
        described.append(FieldChange(label, _text(old), _text(new)))
    return described


def object_type_label(entry: AuditEntry) -> str:
    content_type = entry.content_type
    if content_type is None:
        return ""
    model = content_type.model_class()
    return str(model._meta.verbose_name) if model else content_type.model


def beijing_time(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment, BEIJING)


# --- the hash chain, for backup and restore -------------------------------------------------------------------


def get_chain_head(*, using: str = "default") -> tuple[int, str] | None:
    """(sequence, hash) of the newest audit entry of database `using`, or None when there is none: a backup notes
    it so a later check can tell that no newer entry was removed."""
    return read_head(using, table=AuditEntry._meta.db_table)


def verify_stored_chain(*, using: str = "default", expect_head: tuple[int, str] | None = None) -> "Verification":
    """The whole chain of database `using` walked in sequence order (`chain.verify_chain`)."""
    return verify_chain(AuditEntry.objects.using(using).all(), expect_head=expect_head)


def last_event_at(*, event: str, model: type[Model], outer: str = "pk") -> Subquery:
    """A subquery: when `event` was last recorded about the row `outer` of `model` (None if never), so a list of
    that model is annotated with it in the same query (the verify page's 最近生成时间)."""
    entries = AuditEntry.objects.filter(
        event=event, content_type=ContentType.objects.get_for_model(model), object_id=OuterRef(outer)
    ).order_by("-timestamp")
    return Subquery(entries.values("timestamp")[:1])
