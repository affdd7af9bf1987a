"""Template context shared by every page."""

from .navigation import navigation_for


def navigation(request):
    return {"nav_items": navigation_for(request.user)}
