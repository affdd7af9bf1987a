"""The public service hall (政务服务, no log-in): the hall, 通知公告, 办事指南, the status query and the register of
designated units. Each page but the guide and the status query also exists under a city's portal
(`/c/<slug>/service/…`), showing that city only; a guide belongs to its call, hence to its call's city."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from shenbao.applications.public_status import query_public_status
from shenbao.audit.network import client_ip
from shenbao.awards.selectors import list_register_calls, search_designated_units
from shenbao.calls.guide import build_guide
from shenbao.calls.models import Call
from shenbao.calls.selectors import get_call_detail, list_public_calls
from shenbao.core.http import page_of
from shenbao.notices.selectors import label_public_notices, list_public_notices
from shenbao.organisations.selectors import get_portal_city

from .http import or_404
from .service import list_announcements, list_latest_announcements, register_rows
from .service_forms import RegisterSearchForm, StatusQueryForm

HUB_NOTICES = 5


def portal_city_or_404(slug):
    """The city of a portal URL (None for the platform's own pages); 404 for a city without a portal."""
    return None if slug is None else or_404(get_portal_city, slug=slug)


@require_safe
def hub(request, slug=None):
    """服务大厅: the services as tiles, the latest 通知公告 and the latest 公示 with their objection route."""
    city = portal_city_or_404(slug)
    now = timezone.now()
    context = {
        "portal_city": city,
        "announcements": list_latest_announcements(city=city, at=now),
        "notices": label_public_notices(list_public_notices(at=now, city=city)[:HUB_NOTICES], at=now),
    }
    return render(request, "core/service/hub.html", context)


@require_safe
def announcements(request, slug=None):
    """通知公告: the published calls and the public notices, newest first."""
    city = portal_city_or_404(slug)
    page_obj, items = list_announcements(city=city, page=request.GET.get("page"), per_page=settings.PAGE_SIZE)
    return render(
        request, "core/service/announcements.html", {"portal_city": city, "page_obj": page_obj, "items": items}
    )


@require_safe
def guide_list(request, slug=None):
    """办事指南: every published call (open ones first) with a guide per project type."""
    city = portal_city_or_404(slug)
    calls = list_public_calls()
    if city is not None:
        calls = calls.filter(city=city)
    page_obj = page_of(request, calls)
    return render(request, "core/service/guide_list.html", {"portal_city": city, "page_obj": page_obj})


@require_safe
def guide_detail(request, call_slug, code):
    """One project type's guide: who may apply, conditions, materials, steps and dates, contact — from the call."""
    try:
        call = get_call_detail(slug=call_slug)
    except Call.DoesNotExist:
        raise Http404 from None
    guide = build_guide(call=call, code=code)
    if guide is None:
        raise Http404
    portal_city = call.city if call.city.portal_slug else None
    return render(request, "core/service/guide_detail.html", {"guide": guide, "portal_city": portal_city})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def status_query(request):
    """办件进度查询: number + credit code → the public stage; the same answer for every wrong pair."""
    form = StatusQueryForm(request.POST or None)
    context = {"form": form, "answer": None}
    status = 200
    if request.method == "POST":
        if form.is_valid():
            answer = query_public_status(
                number=form.cleaned_data["number"],
                credit_code=form.cleaned_data["credit_code"],
                remote_addr=client_ip(request),
                request=request,
            )
            context["answer"] = answer
            status = 429 if answer.limited else 200
        else:
            status = 400
    return render(request, "core/service/status_query.html", context, status=status)


@require_safe
def register(request, slug=None):
    """认定名单: the designated units (技师工作站, 培养基地 …) across years with their status (建设中/已验收/已撤销),
    by call, year and project type, searchable by name or plaque; no personal data."""
    city = portal_city_or_404(slug)
    calls = list_register_calls(city=city).prefetch_related("project_types")
    form = RegisterSearchForm(request.GET or None, calls=calls)
    year, call, project_type, text = form.criteria()
    units = search_designated_units(city=city, year=year, call=call, project_type=project_type, text=text)
    page_obj = page_of(request, units)
    context = {"portal_city": city, "form": form, "page_obj": page_obj, "rows": register_rows(page_obj.object_list)}
    return render(request, "core/service/register.html", context)
