"""The audit browser (审计日志), for the audit administrator only; everyone else gets 404."""

from django.conf import settings
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from shenbao.core.files import serve_generated_file
from shenbao.core.http import permission_required

from . import exports, selectors
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
        {"form": form, "page": page, "filter_query": _filter_query(request), "events": Event.choices},
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


@require_GET
@audit_admin_required
def entry_export(request):
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return HttpResponseBadRequest(form.errors.as_text())
    filters = form.filters() if form.is_bound else {}
    stamp = timezone.localtime(timezone.now(), selectors.BEIJING).strftime("%Y%m%d-%H%M%S")
    return serve_generated_file(
        request,
        content=exports.iter_csv(selectors.filter_entries(**filters), language=get_language()),
        filename=f"audit-{stamp}.csv",
        content_type="text/csv; charset=utf-8",
        event=Event.AUDIT_EXPORT,
        details={"filters": {name: str(value) for name, value in filters.items()}},
    )
