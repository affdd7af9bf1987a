"""Reads about announcements: the call administrator's (scoped to the city: another city's answers DoesNotExist,
hence 404) and the public ones (published only: a draft, one in review or a withdrawn one does not exist for the
public, whatever its URL)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from shenbao.core.pending import Pending, count_pending

from .models import Announcement, AnnouncementAttachment
from .rules import admin_announcements_q

if TYPE_CHECKING:
    from shenbao.accounts.rules import AnyUser
    from shenbao.organisations.models import Region

PUBLISHED = Announcement.Status.PUBLISHED
LATEST = 5


def list_admin_announcements(*, user: AnyUser, status: str = "") -> QuerySet[Announcement]:
    """The city's announcements in every state, the most recently changed first."""
    announcements = Announcement.objects.filter(admin_announcements_q(user))
    if status:
        announcements = announcements.filter(status=status)
    return announcements.select_related("author", "reviewed_by").order_by("-updated_at", "-id")


def get_admin_announcement(*, user: AnyUser, public_id: uuid.UUID | str) -> Announcement:
    return (
        Announcement.objects.filter(admin_announcements_q(user))
        .select_related("author", "reviewed_by", "call", "city")
        .get(public_id=public_id)
    )


def get_admin_attachment(*, user: AnyUser, public_id: uuid.UUID | str) -> AnnouncementAttachment:
    return (
        AnnouncementAttachment.objects.filter(admin_announcements_q(user, prefix="announcement__"))
        .select_related("announcement")
        .get(public_id=public_id)
    )


def list_attachments(*, announcement: Announcement) -> QuerySet[AnnouncementAttachment]:
    return announcement.attachments.order_by("pk")


def count_announcements_to_review(*, user: AnyUser) -> Pending:
    """Announcements of the city waiting for a second person: those the user did not write."""
    waiting = Announcement.objects.filter(admin_announcements_q(user), status=Announcement.Status.IN_REVIEW)
    return count_pending(waiting.exclude(author=getattr(user, "pk", None)))


def list_public_announcements(*, city: Region | None = None) -> QuerySet[Announcement]:
    """Published announcements (of one city, or of every city), newest first; only of cities with a portal, where
    the public pages show them."""
    announcements = Announcement.objects.filter(status=PUBLISHED, city__portal_slug__gt="")
    if city is not None:
        announcements = announcements.filter(city=city)
    return announcements.select_related("city").order_by("-published_at", "-id")


def list_latest_public_announcements(*, city: Region | None = None, limit: int = LATEST) -> list[Announcement]:
    return list(list_public_announcements(city=city)[:limit])


def get_public_announcement(*, city: Region, public_id: uuid.UUID | str) -> Announcement:
    return list_public_announcements(city=city).select_related("call").get(public_id=public_id)


def get_public_attachment(*, city: Region, public_id: uuid.UUID | str) -> AnnouncementAttachment:
    return AnnouncementAttachment.objects.select_related("announcement").get(
        Q(announcement__status=PUBLISHED) & Q(announcement__city=city), public_id=public_id
    )
