"""Reads about invitations, always scoped to the reader's own unit (another unit's invitation: 404)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from .invitations import can_invite
from .models import Invitation

if TYPE_CHECKING:
    from .rules import AnyUser


def list_open_invitations(*, user: AnyUser) -> QuerySet[Invitation]:
    """Invitations of `user`'s unit that were neither accepted nor revoked (expired ones included), newest first."""
    if not user.is_authenticated or not can_invite(user=user):
        return Invitation.objects.none()
    return (
        Invitation.objects.filter(organisation=user.organisation, accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("invited_by")
        .order_by("-created_at", "-pk")
    )


def get_open_invitation(*, user: AnyUser, public_id: uuid.UUID | str) -> Invitation:
    """One open invitation of `user`'s unit, else Invitation.DoesNotExist."""
    return list_open_invitations(user=user).get(public_id=public_id)
