"""The public portals' cached part (core.portal.cached_public_fragment): served from the cache while nothing changed,
built again at once when the data changes (an audited write) or the clock does (a deadline passing, to the second;
Beijing midnight), and never carrying the visitor's own data."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.safestring import mark_safe

from shenbao.audit.services import record_event
from shenbao.calls.models import first_late_instant
from shenbao.core.portal import cached_public_fragment, next_public_change

BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")
TOKEN = re.compile(r'(?<=name="csrfmiddlewaretoken" value=")[^"]+|(?<="X-CSRFToken": ")[^"]+')


@pytest.fixture
def cache_on(settings):
    settings.SHENBAO_PORTAL_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def without_token(response):
    """The page with the visitor's CSRF token taken out (each visitor gets a token of their own)."""
    return TOKEN.sub("", response.content.decode())


def get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


@pytest.mark.django_db
def test_the_home_page_is_served_from_the_cache_until_an_audited_change(client, call, cache_on):
    first, built = get(client, reverse("core:home"))
    again, cached = get(client, reverse("core:home"))
    assert without_token(again) == without_token(first)
    assert again.context is None  # the whole page came from the cache: no template rendered
    assert cached == 1 and built > cached  # the audit trail's head only

    record_event(event="test_event")  # any audited write: the next visitor gets a page built again
    _rebuilt, queries = get(client, reverse("core:home"))
    assert queries == built


@pytest.mark.django_db
def test_a_search_is_never_served_from_the_cache(client, call, cache_on):
    get(client, reverse("core:home"))
    _response, queries = get(client, reverse("core:home") + "?text=" + "晋城")
    assert queries > 1


@pytest.mark.django_db
def test_a_city_portal_is_cached_on_its_own(client, call, cache_on):
    portal = reverse("core:city_portal", kwargs={"slug": call.city.portal_slug})
    home, _ = get(client, reverse("core:home"))
    city, built = get(client, portal)
    _again, cached = get(client, portal)
    assert without_token(city) != without_token(home)
    assert cached < built


@pytest.mark.django_db
def test_the_fragment_is_the_same_signed_in_and_anonymous(client, call, applicant):
    anonymous = client.get(reverse("core:home")).context["public"]
    client.force_login(applicant)
    signed_in = client.get(reverse("core:home")).context["public"]
    assert signed_in == anonymous
    assert applicant.username not in signed_in and "csrfmiddlewaretoken" not in signed_in


@pytest.mark.django_db
def test_a_passing_deadline_rebuilds_the_fragment_to_the_second(call, cache_on):
    builds = []

    def build():
        builds.append(1)
        return mark_safe(f"<p>{len(builds)}</p>")

    deadline = call.submission_deadline
    last_instant = deadline.replace(microsecond=999_999)
    late = first_late_instant(deadline)
    cached_public_fragment(name="t", at=deadline - dt.timedelta(minutes=1), build=build)
    cached_public_fragment(name="t", at=last_instant, build=build)
    assert len(builds) == 1  # the whole last second is still in time
    assert cached_public_fragment(name="t", at=late, build=build) == "<p>2</p>"


@pytest.mark.django_db
def test_beijing_midnight_is_a_change_when_no_deadline_comes_first(call):
    after_every_deadline = call.submission_deadline + dt.timedelta(days=3)
    evening = after_every_deadline.astimezone(BEIJING).replace(hour=23, minute=59, second=59, microsecond=999_999)
    assert next_public_change(at=evening) == evening + dt.timedelta(microseconds=1)
    deadline = call.submission_deadline
    assert next_public_change(at=deadline - dt.timedelta(minutes=1)) == first_late_instant(deadline)


@pytest.mark.django_db
def test_the_cache_lasts_at_most_its_setting(call, cache_on, settings):
    settings.SHENBAO_PORTAL_CACHE_SECONDS = 60
    builds = []

    def build():
        builds.append(1)
        return mark_safe("<p></p>")

    start = call.submission_deadline + dt.timedelta(days=3)
    start = start.astimezone(BEIJING).replace(hour=9, minute=0, second=0, microsecond=0)
    cached_public_fragment(name="t", at=start, build=build)
    cached_public_fragment(name="t", at=start + dt.timedelta(seconds=59), build=build)
    cached_public_fragment(name="t", at=start + dt.timedelta(seconds=60), build=build)
    assert len(builds) == 2


def tokens_of(response):
    return set(TOKEN.findall(response.content.decode()))


@pytest.mark.django_db
def test_a_cached_page_carries_each_visitors_own_csrf_token_and_the_language_switch_works(call, cache_on):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page_one, _ = get(first, reverse("core:home"))
    page_two, cached = get(second, reverse("core:home"))
    assert cached == 1  # the second visitor's page came from the cache
    (token_one,) = tokens_of(page_one)  # the form's and htmx's header: one token per page
    (token_two,) = tokens_of(page_two)
    switch = {"language": "en", "next": "/"}
    # Another visitor's token is refused: the cached page carries the second visitor's own.
    assert second.post("/i18n/setlang/", {**switch, "csrfmiddlewaretoken": token_one}).status_code == 403
    assert second.post("/i18n/setlang/", {**switch, "csrfmiddlewaretoken": token_two}).status_code == 302
    english, _ = get(second, reverse("core:home"))
    assert english.headers["Content-Language"] == "en" and without_token(english) != without_token(page_two)


def with_message(client, text):
    """A message waiting for the visitor's next page, as a redirect after an action leaves it (cookie storage)."""
    request = RequestFactory().get("/")
    storage = CookieStorage(request)
    storage.add(messages.INFO, text)
    response = HttpResponse()
    storage.update(response)
    client.cookies["messages"] = response.cookies["messages"].value


@pytest.mark.django_db
def test_signed_in_searching_or_messaged_visitors_get_a_page_of_their_own(client, call, applicant, cache_on):
    get(client, reverse("core:home"))  # the anonymous page is in the cache
    _search, queries = get(client, reverse("core:home") + "?year=2022")
    assert queries > 1
    with_message(client, "会话已超时，请重新登录。")
    messaged, _ = get(client, reverse("core:home"))
    assert messaged.context is not None and "会话已超时，请重新登录。" in messaged.content.decode()
    again, _ = get(client, reverse("core:home"))
    assert again.context is None and "会话已超时" not in again.content.decode()  # shown once, then the cache
    client.force_login(applicant)
    signed_in, _ = get(client, reverse("core:home"))
    assert signed_in.context is not None and str(applicant) in signed_in.content.decode()
