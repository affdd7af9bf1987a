"""Home page (首页, public), the cities' portals (/c/<slug>/, public), the signed-in user's work overview (工作台) and
the province's read-only statistics (全省统计)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from shenbao.calls.selectors import list_closed_call_years, list_open_calls, list_open_calls_of_city
from shenbao.notices.selectors import list_open_notices
from shenbao.organisations.models import Region
from shenbao.organisations.selectors import get_portal_city, list_portal_cities

from .forms import ArchiveSearchForm
from .portal import build_archive
from .selectors import build_dashboard
from .statistics import STAGES, build_province_statistics


@require_safe
def home(request):
    """Every city's open calls, the cities' portals, and the archive searched by city, year and text."""
    now = timezone.now()
    cities = list(list_portal_cities())
    form = ArchiveSearchForm(request.GET or None, years=list_closed_call_years(at=now), cities=cities)
    city, year, text = form.criteria()
    context = {
        "open_calls": list_open_calls(at=now),
        "open_notices": list_open_notices(at=now),
        "cities": cities,
        "form": form,
        "archive": build_archive(at=now, city=city, year=year, text=text, page=request.GET.get("page")),
    }
    return render(request, "core/home.html", context)


@require_safe
def city_portal(request, slug):
    """One city's portal (/c/<slug>/): its heading, its open calls and its archive."""
    try:
        city = get_portal_city(slug=slug)
    except Region.DoesNotExist:
        raise Http404 from None
    now = timezone.now()
    form = ArchiveSearchForm(request.GET or None, years=list_closed_call_years(at=now, city=city))
    _city, year, text = form.criteria()
    context = {
        "portal_city": city,
        "open_calls": list_open_calls_of_city(city=city, at=now),
        "open_notices": list_open_notices(at=now, city=city),
        "form": form,
        "archive": build_archive(at=now, city=city, year=year, text=text, page=request.GET.get("page")),
    }
    return render(request, "core/city_portal.html", context)


@require_safe
@login_required
def dashboard(request):
    return render(request, "core/dashboard.html", {"dashboard": build_dashboard(user=request.user)})


@require_safe
@login_required
def province_statistics(request):
    """省级统计 (read-only): every city's applications by stage, designated units and funds, per call and type."""
    if not request.user.has_perm("core.view_province_statistics"):
        raise PermissionDenied
    statistics = build_province_statistics(user=request.user)
    return render(request, "core/province_statistics.html", {"statistics": statistics, "stages": STAGES})
