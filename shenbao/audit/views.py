"""The audit browser (审计日志), for the audit administrator only; everyone else gets 404."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from shenbao.core.http import permission_required

from . import selectors
from .events import Event
from .forms import FILTER_FIELDS, AuditFilterForm
from .models import AuditEntry

audit_admin_required = permission_required("audit.browse_auditentry", hidden=True)


def _filter_query(request):
    """The filter part of the query string, for pagination and export links."""
    query = request.GET.copy()
    for key in list(query):
        if key not in FILTER_FIELDS:
            del query[key]
    return query.urlencode()


@require_GET
@audit_admin_required
def entry_list(request):
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        entries = AuditEntry.objects.none()
    else:
        entries = selectors.filter_entries(**(form.filters() if form.is_bound else {}))
    page = selectors.page_entries(
        entries=entries,
        size=settings.PAGE_SIZE,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
    )
    return render(
        request,
        "audit/list.html",
        {
            "form": form,
            "page": page,
            "filter_query": _filter_query(request),
            "export_filters": [(name, request.GET[name]) for name in FILTER_FIELDS if request.GET.get(name)],
            "events": Event.choices,
        },
    )


@require_GET
@audit_admin_required
def entry_detail(request, pk):
    try:
        entry = selectors.get_entry(pk=pk)
    except AuditEntry.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "audit/detail.html",
        {
            "entry": entry,
            "changes": selectors.describe_changes(entry),
            "object_type": selectors.object_type_label(entry),
            "details": sorted((entry.additional_data or {}).items()),
        },
    )
