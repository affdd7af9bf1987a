"""The public portals: the platform's home page and each city's page (`/c/<slug>/`).

Both list the open calls and the archive of past calls (往期申报通知) with their results: the units designated
(授牌) by each call, by project type. The archive is searched by city, year and text, paginated in the database,
and the designated units of a page come in one query, so the page costs the same however many rows it shows.
"""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.messages import get_messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from shenbao.awards.selectors import designated_unit_calls, list_designated_applications_of_calls
from shenbao.calls.selectors import next_deadline_passing, search_closed_calls

from .fragment_cache import cached_fragment

ARCHIVE_PAGE_SIZE = 5


@dataclass(frozen=True)
class ArchiveEntry:
    call: object
    designated: list  # awarded applications with unit, project type and plaque


@dataclass(frozen=True)
class Archive:
    page_obj: object
    entries: list


def build_archive(*, at, city=None, year=None, text="", page=None):
    """One page of past calls matching the criteria, each with its designated units."""
    text = (text or "").strip()
    calls = search_closed_calls(
        at=at, city=city, year=year, text=text, also_matching=designated_unit_calls(name=text) if text else None
    )
    page_obj = Paginator(calls, ARCHIVE_PAGE_SIZE).get_page(page)
    page_calls = list(page_obj.object_list)
    by_call = {call.pk: [] for call in page_calls}
    if page_calls:
        for application in list_designated_applications_of_calls(calls=[call.pk for call in page_calls]):
            by_call[application.call_id].append(application)
    return Archive(page_obj=page_obj, entries=[ArchiveEntry(call, by_call[call.pk]) for call in page_calls])


def next_public_change(*, at: dt.datetime) -> dt.datetime:
    """The next instant the public portal changes with the clock alone: a deadline passing (calls move from 正在受理
    to the archive, to the second), or the next Beijing midnight (publication days, 公示 periods, working days)."""
    midnight = timezone.localtime(at).replace(hour=0, minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
    deadline = next_deadline_passing(at=at)
    return min(midnight, deadline) if deadline else midnight


def cached_public_fragment(*, name: str, at: dt.datetime, build: Callable[[], SafeString]) -> SafeString:
    """The HTML of a public part of a portal, the same for every visitor, built at most once per change: when the
    data changes (`fragment_cache`) or the clock changes it (`next_public_change`)."""
    return cached_fragment(name=f"portal:{name}", at=at, build=build, changes_at=lambda: next_public_change(at=at))


# Where the visitor's own CSRF token goes in a cached page (the language switcher's form and htmx's header carry
# it): a marker no template writes, replaced by the visitor's token on every request.
CSRF_SLOT = "\u2063csrf-token\u2063"
_RENDERED_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def same_page_for_every_visitor(request: HttpRequest) -> bool:
    """Whether the whole page may come from the cache: an anonymous visitor, no search, no message waiting to be
    shown (e.g. 「您已退出登录」 after signing out). Counting the messages does not mark them shown."""
    return not request.user.is_authenticated and not request.GET and len(get_messages(request)) == 0


def serve_public_page(request: HttpRequest, *, name: str, render_page: Callable[[], HttpResponse]) -> HttpResponse:
    """A public portal page, for an anonymous visitor from the cache as a whole (`cached_public_fragment`: the same
    keys, the same expiry), with the visitor's own CSRF token put back in; otherwise rendered for this request.

    Measured by `make bench`: the layout's rendering, not the portal's queries, was most of an anonymous page's
    cost once the public part was cached."""
    if not same_page_for_every_visitor(request):
        return render_page()

    def build() -> SafeString:
        html = render_page().content.decode()
        token = _RENDERED_TOKEN.search(html)
        return mark_safe(html.replace(token.group(1), CSRF_SLOT) if token else html)

    html = cached_public_fragment(name=f"page:{name}", at=timezone.now(), build=build)
    return HttpResponse(html.replace(CSRF_SLOT, get_token(request)))
