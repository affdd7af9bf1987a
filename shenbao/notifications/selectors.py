"""Reads about notifications. A user sees only their own messages: every query starts from the recipient."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet

from .models import Notification, OutgoingEmail

if TYPE_CHECKING:
    from shenbao.accounts.rules import AnyUser


def list_notifications(*, user: AnyUser) -> QuerySet[Notification]:
    """The inbox of `user`: unread first, then newest first."""
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    return Notification.objects.filter(recipient=user.pk).order_by(unread.desc(), "-created_at", "-pk")


def get_notification(*, user: AnyUser, public_id: uuid.UUID | str) -> Notification:
    """Raises Notification.DoesNotExist for another user's message (the view answers 404)."""
    return Notification.objects.get(recipient=user.pk, public_id=public_id)


def count_unread(*, user: AnyUser) -> int:
    return Notification.objects.filter(recipient=user.pk, read_at__isnull=True).count()


def list_outgoing_emails(*, status: str = "") -> QuerySet[OutgoingEmail]:
    """The outbox for the system administrator: rows not yet sent first (given up, then pending), newest first.

    `defer("body")`: the page never shows a body, so it is never read either.
    """
    queryset = OutgoingEmail.objects.defer("body")
    queryset = queryset.filter(status=status) if status else queryset.exclude(status=OutgoingEmail.Status.SENT)
    return queryset.order_by("-created_at", "-pk")


def count_outgoing_emails() -> dict[str, int]:
    """{status: count} over the whole outbox."""
    rows = OutgoingEmail.objects.values("status").annotate(count=Count("pk")).order_by()
    return {row["status"]: row["count"] for row in rows}


def get_given_up_email(*, public_id: uuid.UUID | str) -> OutgoingEmail:
    return OutgoingEmail.objects.get(public_id=public_id, status=OutgoingEmail.Status.GIVEN_UP)


def count_given_up_emails() -> int:
    """Mails the outbox stopped retrying: the system administrator's 待办 on the dashboard."""
    return OutgoingEmail.objects.filter(status=OutgoingEmail.Status.GIVEN_UP).count()
