"""Small view helpers shared by every app."""

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
