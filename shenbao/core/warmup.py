"""Warm a web process before it takes requests: every view imported, each language's catalogue and the base layout.

A fresh gunicorn worker paid all of this in its first request (about 0.7–1.9 s here, 4–4.7 s measured under load,
issue 18). `shenbao/wsgi.py` calls `warm_up()` once the application is loaded; with `preload_app` (gunicorn.conf.py)
that is once in the master, and every worker forked from it, including a recycled one, starts warm.

Nothing here may touch the database: a connection opened in the master would be shared by every forked worker.
"""

from django.conf import settings
from django.template.loader import get_template
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation

# The layout every page extends (its includes are compiled with it).
LAYOUTS = ("base.html",)


def _import_views(patterns: list) -> int:
    count = 0
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            count += _import_views(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            pattern.callback  # noqa: B018 - resolving the callback imports the view's module
            count += 1
    return count


def warm_up() -> int:
    """Import every view, read each language's catalogue, compile the layouts; the number of URL patterns."""
    resolver = get_resolver()
    count = _import_views(resolver.url_patterns)
    resolver.reverse_dict  # noqa: B018 - builds the reverse lookup tables that {% url %} and redirects use
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("申报")
    for name in LAYOUTS:
        get_template(name)
    return count
