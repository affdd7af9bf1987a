"""Reads for message templates, bulk messages and the SMS outbox. Every read of a city's rows starts from the city
the caller passes (the view's `get_city_of_user`), so another city's message answers DoesNotExist → 404."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q, QuerySet

from shenbao.accounts.roles import Role
from shenbao.accounts.selectors import holding_role_q, list_active_users
from shenbao.applications.selectors import list_applications
from shenbao.organisations.selectors import regions_within_q

from .models import BulkMessage, BulkRecipient, MessageTemplate, OutgoingSms

if TYPE_CHECKING:
    from shenbao.accounts.models import User
    from shenbao.organisations.models import Region


def find_message_template(*, city: Region | int | None, event: str) -> MessageTemplate | None:
    if city is None:
        return None
    return MessageTemplate.objects.filter(city=city, event=event).first()


TEMPLATED_EVENTS_KEY = "notifications:templated-events"
# Bounds how long another process keeps an old map where the cache is per process (LocMemCache without Redis):
# the delete below reaches only the shared cache. One query a minute per process at most.
TEMPLATED_EVENTS_TIMEOUT = 60


def map_templated_events() -> dict[str, frozenset[int]]:
    """{event: ids of the cities with a template for it}, from the cache. Kept as one key rather than one per city
    so that a notification whose event no city templated needs neither its city (which may cost a join) nor any
    query; only after a template is saved or reset (`forget_templated_events`) does one query rebuild it."""
    cached = cache.get(TEMPLATED_EVENTS_KEY)
    if cached is None:
        cached = {}
        for city_id, event in MessageTemplate.objects.values_list("city_id", "event").order_by():
            cached.setdefault(event, set()).add(city_id)
        cached = {event: frozenset(ids) for event, ids in cached.items()}
        cache.set(TEMPLATED_EVENTS_KEY, cached, timeout=TEMPLATED_EVENTS_TIMEOUT)
    return cached


def forget_templated_events() -> None:
    """Drop the cached map now and once more after the commit: a reader between the two would cache the old rows."""
    cache.delete(TEMPLATED_EVENTS_KEY)
    transaction.on_commit(lambda: cache.delete(TEMPLATED_EVENTS_KEY))


def map_message_templates(*, city: Region) -> dict[str, MessageTemplate]:
    """{event: template} of the city's edited templates."""
    return {row.event: row for row in MessageTemplate.objects.filter(city=city).select_related("updated_by")}


def list_bulk_recipients_for(*, city: Region, filters: dict[str, Any]) -> list[User]:
    """The active applicant accounts of the units that have an application matching `filters` in `city`'s calls.

    filters: call (Call), project_type (ProjectType), statuses (list of states), county (Region); each optional.
    """
    applications = list_applications(city=city, call=filters.get("call"), project_type=filters.get("project_type"))
    if filters.get("statuses"):
        applications = applications.filter(status__in=filters["statuses"])
    if filters.get("county") is not None:
        applications = applications.filter(regions_within_q(filters["county"], prefix="unit__region"))
    units = applications.values("unit_id")
    query = Q(organisation__in=units) & holding_role_q(Role.APPLICANT)
    return list(list_active_users(query=query).select_related("organisation").order_by("organisation__name", "pk"))


def list_bulk_messages(*, city: Region) -> QuerySet[BulkMessage]:
    return (
        BulkMessage.objects.filter(city=city)
        .select_related("sender")
        .annotate(recipient_count=Count("recipients"))
        .order_by("-created_at", "-pk")
    )


def get_bulk_message(*, city: Region | None, public_id: uuid.UUID | str) -> BulkMessage:
    """Raises BulkMessage.DoesNotExist for another city's message (404)."""
    if city is None:
        raise BulkMessage.DoesNotExist
    return BulkMessage.objects.select_related("sender").get(city=city, public_id=public_id)


def list_bulk_recipients(*, message: BulkMessage) -> QuerySet[BulkRecipient]:
    """The log of one bulk message: each recipient with the row of each channel (their status is the status)."""
    return (
        BulkRecipient.objects.filter(message=message)
        .select_related("user", "unit", "notification", "email", "sms")
        .defer("email__body")
        .order_by("unit__name", "pk")
    )


def list_outgoing_texts(*, status: str = "") -> QuerySet[OutgoingSms]:
    """The SMS outbox for the system administrator: not yet sent (or one status), newest first; never the text."""
    queryset = OutgoingSms.objects.defer("text")
    queryset = queryset.filter(status=status) if status else queryset.exclude(status=OutgoingSms.Status.SENT)
    return queryset.order_by("-created_at", "-pk")


def count_outgoing_texts() -> dict[str, int]:
    rows = OutgoingSms.objects.values("status").annotate(count=Count("pk")).order_by()
    return {row["status"]: row["count"] for row in rows}


def get_given_up_sms(*, public_id: uuid.UUID | str) -> OutgoingSms:
    return OutgoingSms.objects.get(public_id=public_id, status=OutgoingSms.Status.GIVEN_UP)
