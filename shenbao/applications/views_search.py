"""申报管理: the staff applications list with search, filters, sort, chosen columns, saved views and export.

The filters are GET parameters (a URL is a shareable view); an invalid parameter shows the form's error and no rows
rather than ignoring it. Saving and deleting a view are POSTs that return to the list. The export button posts to
the export jobs app (`exports:request`, kind "applications.list") and lands on the job's progress page.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shenbao.core.http import error_messages, or_404, require_permission

from .search_forms import ApplicationSearchForm, ExportForm, SaveViewForm
from .search_selectors import get_filter_choices, get_own_saved_view, list_saved_views, page_search_results
from .search_services import SEARCH_PERMISSION, clean_view_query, delete_list_view, save_list_view
from .search_table import COLUMNS, DEFAULT_COLUMNS


def staff_list(request: HttpRequest) -> HttpResponse:
    """The list for staff (`views.application_list` hands them over; the permission is checked there)."""
    data = request.GET.copy()
    if not data.getlist("columns"):
        data.setlist("columns", list(DEFAULT_COLUMNS))  # so the form ticks the columns the table shows
    form = ApplicationSearchForm(data, choices=get_filter_choices(user=request.user))
    page = None
    columns: tuple[str, ...] = ()
    if form.is_valid():
        columns = form.chosen_columns()
        page = page_search_results(
            user=request.user, filters=form.filters(), number=request.GET.get("page"), per_page=settings.PAGE_SIZE
        )
    query = clean_view_query(request.GET.urlencode())
    context = {
        "form": form,
        "page_obj": page,
        "columns": [(key, COLUMNS[key].label) for key in columns],
        "rows": [(application, [COLUMNS[key].value(application) for key in columns]) for application in page or []],
        "query": query,
        "saved_views": list(list_saved_views(user=request.user)),
        "save_form": SaveViewForm(initial={"query": query}),
        "export_form": ExportForm(initial={"format": "xlsx", "export_columns": list(columns)}),
    }
    return render(request, "applications/search_list.html", context)


def _back_to_list(query: str) -> HttpResponse:
    url = reverse("applications:list")
    return redirect(f"{url}?{query}" if query else url)


@login_required
@require_POST
def save_view(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, SEARCH_PERMISSION)
    form = SaveViewForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back_to_list(clean_view_query(request.POST.get("query") or ""))
    try:
        view = save_list_view(
            user=request.user, name=form.cleaned_data["name"], query=form.cleaned_data["query"], request=request
        )
    except ValidationError as error:
        for message in error_messages(error):
            messages.error(request, message)
        return _back_to_list(clean_view_query(form.cleaned_data["query"]))
    messages.success(request, _("已保存视图「%(name)s」。") % {"name": view.name})
    return _back_to_list(view.query)


@login_required
@require_POST
def delete_view(request: HttpRequest, public_id: str) -> HttpResponse:
    require_permission(request.user, SEARCH_PERMISSION)
    view = or_404(get_own_saved_view, user=request.user, public_id=public_id)
    name = view.name
    delete_list_view(user=request.user, view=view, request=request)
    messages.success(request, _("已删除视图「%(name)s」。") % {"name": name})
    return redirect("applications:list")
