"""Small view helpers shared by every app."""

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, Concatenate

import rules
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser
    from django.forms import BaseForm


def or_404[T](selector: Callable[..., T], /, **kwargs: object) -> T:
    """Call a scoped selector; an object outside the user's scope (DoesNotExist) answers 404, never 403."""
    try:
        return selector(**kwargs)
    except ObjectDoesNotExist:
        raise Http404 from None


def page_of(request: HttpRequest, items: Any) -> Page:
    """The page of `items` a list page's `?page=` asks for (`Paginator.get_page`: a bad number is clamped, never a
    404), `PAGE_SIZE` rows a page: the one way a staff list is paginated."""
    return Paginator(items, settings.PAGE_SIZE).get_page(request.GET.get("page"))


def error_messages(error: Exception) -> list[str]:
    """The texts of a ValidationError (or any refusal) for Django's messages framework."""
    if isinstance(error, ValidationError):
        return [str(message) for message in error.messages]
    return [str(error)]


def form_error_messages(form: "BaseForm") -> list[str]:
    """A refused form's errors as messages for the messages framework, each named by its field's label (with a
    full-width colon: the labels are Chinese), for a form posted from a page that redirects instead of re-rendering."""
    found = []
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        found += [f"{label}：{text}" if label else str(text) for text in errors]
    return found


def require_permission(
    user: "AbstractBaseUser | AnonymousUser", permission: str, obj: object | None = None, *, hidden: bool = False
) -> None:
    """The one check of what a user may do, by a `rules` permission (with `obj`, about that object).

    The rule (docs/SECURITY.md): an object outside the user's scope never reaches this check, the scoped selector
    already answered 404 (`or_404`); a refused action or a page the role may not use answers 403 (the 403 page, or
    the view catches PermissionDenied and says why). `hidden` marks the pages that are not even disclosed to other
    roles (三权分立: user administration, audit, security, the outbox; a unit's invitations): those answer 404, as
    an object out of scope does.
    """
    # rules.has_perm, not user.has_perm: a superuser gets no way round the roles (docs/SECURITY.md).
    if not rules.has_perm(permission, user, obj):
        raise Http404 if hidden else PermissionDenied


# A view function: the request first, then whatever its URL pattern passes.
type View[**P] = Callable[Concatenate[HttpRequest, P], HttpResponseBase]


def permission_required[**P](permission: str, *, hidden: bool = False) -> Callable[[View[P]], View[P]]:
    """View decorator: anonymous visitors log in; a signed-in user is checked by `require_permission`."""

    def decorator(view: View[P]) -> View[P]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require_permission(request.user, permission, hidden=hidden)
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]  # functools.wraps' _Wrapped is the same callable

    return decorator
