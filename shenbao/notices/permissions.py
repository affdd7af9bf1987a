"""A view decorator: signed in, and holding a permission, else 404 (the page is not there for other roles)."""

from functools import wraps

import rules
from django.contrib.auth.decorators import login_required
from django.http import Http404


def perm_or_404(perm):
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not rules.has_perm(perm, request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
