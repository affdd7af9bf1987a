"""Template context shared by every page."""

from shenbao.accounts.roles import Role

from .brand import platform_brand
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
