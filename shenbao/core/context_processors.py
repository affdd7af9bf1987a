"""Template context shared by every page."""

from django.conf import settings

from shenbao.accounts.roles import Role

from .navigation import group_links, navigation_for, resolve_links


def navigation(request):
    user = getattr(request, "user", None)
    roles = user.roles if user is not None and user.is_authenticated else frozenset()
    links = resolve_links(navigation_for(user), path=request.path)
    return {
        "nav_items": links,
        "nav_groups": group_links(links),
        # In the order the roles are declared, so the user menu reads the same on every page.
        "user_role_labels": [role.label for role in Role if role in roles],
        # `platform_name`, not `site_name`, is what the pages show: Django's auth views set `site_name` to the host.
        **platform_brand(),
    }


def platform_brand():
    """The platform's name and its operating bureau, from configuration (never from the request's host)."""
    return {
        "site_name": settings.SHENBAO_SITE_NAME,
        "platform_name": settings.SHENBAO_SITE_NAME,
        "platform_operator": settings.SHENBAO_OPERATOR_NAME,
    }
