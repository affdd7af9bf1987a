"""Reads about notifications. A user sees only their own messages: every query starts from the recipient."""

from django.db.models import BooleanField, ExpressionWrapper, Q

from .models import Notification


def list_notifications(*, user):
    """The inbox of `user`: unread first, then newest first."""
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    return Notification.objects.filter(recipient=user.pk).order_by(unread.desc(), "-created_at", "-pk")


def get_notification(*, user, public_id):
    """Raises Notification.DoesNotExist for another user's message (the view answers 404)."""
    return Notification.objects.get(recipient=user.pk, public_id=public_id)


def count_unread(*, user):
    return Notification.objects.filter(recipient=user.pk, read_at__isnull=True).count()
