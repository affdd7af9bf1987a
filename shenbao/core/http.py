"""Small view helpers shared by every app."""

from functools import wraps

import rules
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404


def or_404(selector, /, **kwargs):
    """Call a scoped selector; an object outside the user's scope (DoesNotExist) answers 404, never 403."""
    try:
        return selector(**kwargs)
    except ObjectDoesNotExist:
        raise Http404 from None


def error_messages(error):
    """The texts of a ValidationError (or any refusal) for Django's messages framework."""
    if isinstance(error, ValidationError):
        return [str(message) for message in error.messages]
    return [str(error)]


def permission_required_or_404(permission):
    """View decorator: anonymous visitors log in; a signed-in user without `permission` gets 404, so pages of
    another administrator's function (三权分立) do not even disclose that they exist."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not rules.has_perm(permission, request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
