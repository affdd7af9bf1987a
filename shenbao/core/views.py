"""Home page (首页, public), the cities' portals (/c/<slug>/, public), the signed-in user's work overview (工作台) and
the province's read-only statistics (全省统计)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_safe

from shenbao.announcements.selectors import list_latest_public_announcements
from shenbao.calls.selectors import list_closed_call_years, list_open_calls, list_open_calls_of_city
from shenbao.notices.selectors import list_open_notices
from shenbao.organisations.models import Region
from shenbao.organisations.selectors import get_portal_city, list_portal_cities

from .forms import ArchiveSearchForm
from .fragment_cache import cached_fragment
from .portal import build_archive, cached_public_fragment, serve_public_page
from .selectors import build_dashboard
from .statistics import STAGES, build_province_statistics, observed_province


def _public_part(request, *, name, template, context):
    """The page's part that is the same for every visitor: cached when the page is asked for without a search
    (`core.portal.cached_public_fragment`), built for this request otherwise. The fragment's templates must not
    show the visitor's own data (user, CSRF token, messages): what one visitor's request renders, every other visitor
    is served (tests/core/test_portal_cache.py renders it signed in and anonymous and compares)."""

    def build():
        return render_to_string(template, context(), request=request)

    if request.GET:
        return build()
    return cached_public_fragment(name=name, at=timezone.now(), build=build)


@require_safe
def home(request):
    """Every city's open calls, the cities' portals, and the archive searched by city, year and text."""

    def context():
        now = timezone.now()
        cities = list(list_portal_cities())
        form = ArchiveSearchForm(request.GET or None, years=list_closed_call_years(at=now), cities=cities)
        city, year, text = form.criteria()
        return {
            "open_calls": list_open_calls(at=now),
            "open_notices": list_open_notices(at=now),
            "latest_announcements": list_latest_public_announcements(),
            "cities": cities,
            "form": form,
            "archive": build_archive(at=now, city=city, year=year, text=text, page=request.GET.get("page")),
        }

    def page():
        public = _public_part(request, name="home", template="core/_home_public.html", context=context)
        return render(request, "core/home.html", {"public": public})

    return serve_public_page(request, name="home", render_page=page)


@require_safe
def city_portal(request, slug):
    """One city's portal (/c/<slug>/): its heading, its open calls and its archive."""
    try:
        city = get_portal_city(slug=slug)
    except Region.DoesNotExist:
        raise Http404 from None

    def context():
        now = timezone.now()
        form = ArchiveSearchForm(request.GET or None, years=list_closed_call_years(at=now, city=city))
        _city, year, text = form.criteria()
        return {
            "portal_city": city,
            "open_calls": list_open_calls_of_city(city=city, at=now),
            "open_notices": list_open_notices(at=now, city=city),
            "latest_announcements": list_latest_public_announcements(city=city),
            "form": form,
            "archive": build_archive(at=now, city=city, year=year, text=text, page=request.GET.get("page")),
        }

    def page():
        public = _public_part(request, name=f"city:{city.pk}", template="core/_city_public.html", context=context)
        return render(request, "core/city_portal.html", {"portal_city": city, "public": public})

    return serve_public_page(request, name=f"city:{city.pk}", render_page=page)


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
    province = observed_province(request.user)

    def table():
        statistics = build_province_statistics(user=request.user)
        context = {"statistics": statistics, "stages": STAGES}
        return render_to_string("core/_province_statistics_table.html", context, request=request)

    # The same for every reader in the province and read far more often than it changes: built once per change.
    html = cached_fragment(name=f"statistics:{province.pk}", at=timezone.now(), build=table) if province else table()
    return render(request, "core/province_statistics.html", {"province": province, "table": html})
