"""Writes of the staff list's saved views (已保存的视图): save under a name (the same name again replaces the
query), delete; each audited. A view holds only the list's GET query, cleaned to the view's own parameters."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext as _

from shenbao.audit.events import Event
from shenbao.audit.services import record_event

from .models import SavedListView
from .search_forms import VIEW_PARAMETERS

if TYPE_CHECKING:
    from shenbao.accounts.models import User

SEARCH_PERMISSION = "applications.search_applications"


def clean_view_query(query: str) -> str:
    """`query` with only the view's parameters, in their order (a page number or a stray parameter is dropped)."""
    given = QueryDict(query)
    kept = QueryDict(mutable=True)
    for name in VIEW_PARAMETERS:
        values = [value for value in given.getlist(name) if value]
        if values:
            kept.setlist(name, values)
    return kept.urlencode()


def save_list_view(*, user: User, name: str, query: str, request: HttpRequest | None = None) -> SavedListView:
    """Save the list's current query under `name` for `user` (replacing a view of that name)."""
    if not rules.has_perm(SEARCH_PERMISSION, user):
        raise PermissionDenied(_("您无权使用申报管理列表。"))
    view, created = SavedListView.objects.update_or_create(
        owner=user, name=name.strip(), defaults={"query": clean_view_query(query)}
    )
    record_event(
        event=Event.LIST_VIEW_SAVE,
        actor=user,
        target=view,
        request=request,
        details={"name": view.name, "query": view.query, "replaced": not created},
    )
    return view


def delete_list_view(*, user: User, view: SavedListView, request: HttpRequest | None = None) -> None:
    """Delete one of the user's own saved views."""
    if view.owner_id != user.pk:
        raise PermissionDenied(_("只能删除自己保存的视图。"))
    record_event(
        event=Event.LIST_VIEW_DELETE,
        actor=user,
        target=view,
        request=request,
        details={"name": view.name, "query": view.query},
    )
    view.delete()
