"""The unread count in the user menu of every page: one COUNT query, and only when a template reads it."""

from django.utils.functional import SimpleLazyObject

from .selectors import count_unread


def unread_count(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notification_count": SimpleLazyObject(lambda: count_unread(user=user))}
