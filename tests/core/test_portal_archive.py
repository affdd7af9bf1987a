"""The archive of past calls (往期申报通知, issue 17 point 7) on the home page and the city portals, and the query
counts of the portal pages, the archive and the province statistics at one and at many rows."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shenbao.accounts.roles import Role
from shenbao.applications.models import Application
from shenbao.applications.workflow import ApplicationStatus
from shenbao.awards.models import Designation, Plaque
from shenbao.organisations.models import Organisation, Region
from tests.factories import GovernmentBodyFactory, OrganisationFactory, UserFactory, make_region_tree

pytestmark = pytest.mark.django_db

BEIJING = datetime.timezone(datetime.timedelta(hours=8))


@pytest.fixture
def two_cities(db):
    """晋城 and 长治 with their portals, under one province."""
    jincheng, _counties = make_region_tree()
    Region.objects.filter(pk=jincheng.pk).update(portal_slug="jincheng", portal_heading="晋城市门户")
    changzhi = Region.objects.create(
        key="140400", name="长治市", level=Region.Level.CITY, parent=jincheng.parent, portal_slug="changzhi"
    )
    Region.objects.create(key="140403", name="潞州区", level=Region.Level.COUNTY, parent=changzhi)
    return Region.objects.get(pk=jincheng.pk), changzhi


@pytest.fixture
def past_call(make_call):
    """A closed call of `city` in `year`; `units` of its first project type designated (授牌)."""

    def make(city, year, *, title=None, units=()):
        call = make_call(
            city=city,
            year=year,
            title=title or f"{city.name}{year}年度通知",
            published_on=datetime.date(year, 12, 1),
            submission_deadline=datetime.datetime(year, 12, 8, 23, 59, 59, tzinfo=BEIJING),
        )
        project_type = call.project_types.order_by("sort_order").first()
        designation = None
        for sequence, name in enumerate(units, 1):
            unit = OrganisationFactory(name=name, region=city)
            application = Application.objects.create(
                number=f"{call.application_number_prefix}-01-{sequence:04d}",
                call=call,
                project_type=project_type,
                unit=unit,
                status=ApplicationStatus.AWARDED,
                created_by=UserFactory(organisation=unit, roles=[Role.APPLICANT]),
            )
            if designation is None:
                designation = Designation.objects.create(
                    call=call,
                    project_type=project_type,
                    title="命名文件",
                    issued_on=datetime.date(year + 1, 1, 10),
                    created_by=application.created_by,
                )
            Plaque.objects.create(
                application=application,
                designation=designation,
                title=project_type.plaque_title,
                number=f"{call.application_number_prefix}JS-{year}-{sequence:02d}",
                sequence=sequence,
                issued_on=designation.issued_on,
            )
        return call

    return make


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


# --- The archive ----------------------------------------------------------------------------------------------


def test_archive_shows_each_past_call_with_its_designated_units(client, two_cities, past_call):
    jincheng, _changzhi = two_cities
    call = past_call(jincheng, 2022, units=["晋城市甲机械有限公司", "晋城市乙机械有限公司"])

    content = page(client, reverse("core:home"))

    archive = content[content.index("往期申报通知及授牌结果") :]
    assert call.title in archive
    assert archive.index("晋城市甲机械有限公司") < archive.index("晋城市乙机械有限公司")
    assert f"{call.application_number_prefix}JS-2022-01" in archive
    assert "2022年度 · 晋城市" in archive


def test_archive_is_searched_by_year_city_and_text(client, two_cities, past_call):
    jincheng, changzhi = two_cities
    past_call(jincheng, 2021, units=["晋城市老牌精工有限公司"])
    past_call(jincheng, 2022, title="晋城市二〇二二年申报通知")
    past_call(changzhi, 2022, title="长治市二〇二二年申报通知", units=["长治市精工有限公司"])
    home = reverse("core:home")

    by_year = page(client, home, year="2021")
    by_city = page(client, home, city="changzhi")
    by_title = page(client, home, q="二〇二二")
    by_unit = page(client, home, q="老牌精工")
    nothing = page(client, home, q="没有这个单位")

    assert "晋城市2021年度通知" in by_year and "二〇二二年申报通知" not in by_year
    assert "长治市二〇二二年申报通知" in by_city
    assert "晋城市二〇二二年申报通知" not in by_city and "晋城市2021年度通知" not in by_city
    assert "晋城市二〇二二年申报通知" in by_title and "长治市二〇二二年申报通知" in by_title
    assert "晋城市2021年度通知" not in by_title
    assert "晋城市2021年度通知" in by_unit and "二〇二二年申报通知" not in by_unit
    assert "没有符合条件的往期申报通知" in nothing


def test_city_portal_archive_is_its_own_city_only(client, two_cities, past_call):
    jincheng, changzhi = two_cities
    past_call(jincheng, 2022, units=["晋城市甲机械有限公司"])
    own = past_call(changzhi, 2022, units=["长治市甲机械有限公司"])

    content = page(client, reverse("core:city_portal", kwargs={"slug": "changzhi"}), q="甲机械")

    assert own.title in content and "长治市甲机械有限公司" in content
    assert "晋城市甲机械有限公司" not in content
    # The portal's form has no city choice: the city is the portal's.
    assert 'name="city"' not in content


def test_archive_is_paginated_in_the_database(client, two_cities, past_call):
    jincheng, _changzhi = two_cities
    for year in range(2015, 2023):
        past_call(jincheng, year)

    first = page(client, reverse("core:home"))
    second = page(client, reverse("core:home"), page="2")

    assert "晋城市2022年度通知" in first and "晋城市2018年度通知" in first
    assert "晋城市2017年度通知" not in first
    assert "晋城市2017年度通知" in second and "晋城市2015年度通知" in second
    assert "晋城市2022年度通知" not in second
    assert "第 1 / 2 页" in first


def test_an_invalid_filter_narrows_nothing(client, two_cities, past_call):
    jincheng, _changzhi = two_cities
    call = past_call(jincheng, 2022)

    content = page(client, reverse("core:home"), year="nineteen", city="nowhere")

    assert call.title in content


# --- Query counts: the same at one row and at many ------------------------------------------------------------

HOME_QUERIES = 10  # cities, years, open calls + types, 公示 in period, 通知公告, archive count, page + types, units
PORTAL_QUERIES = 10  # the city, years, open calls + types, 公示 in period, 通知公告, archive count, page + types, units


def _many(two_cities, past_call, make_call):
    jincheng, changzhi = two_cities
    for year in range(2016, 2023):
        for city in (jincheng, changzhi):
            past_call(city, year, units=[f"{city.name}{year}甲有限公司", f"{city.name}{year}乙有限公司"])
    for city in (jincheng, changzhi):
        for _ in range(3):
            make_call(open_now=True, city=city)


def _one(two_cities, past_call, make_call):
    _jincheng, changzhi = two_cities
    past_call(changzhi, 2022, units=[f"{changzhi.name}甲有限公司"])
    make_call(open_now=True, city=changzhi)


@pytest.mark.parametrize("rows", [_one, _many], ids=["one", "many"])
def test_home_query_count_is_fixed(client, two_cities, past_call, make_call, django_assert_num_queries, rows):
    rows(two_cities, past_call, make_call)

    with django_assert_num_queries(HOME_QUERIES):
        page(client, reverse("core:home"), q="有限公司")


@pytest.mark.parametrize("rows", [_one, _many], ids=["one", "many"])
def test_portal_query_count_is_fixed(client, two_cities, past_call, make_call, django_assert_num_queries, rows):
    rows(two_cities, past_call, make_call)

    with django_assert_num_queries(PORTAL_QUERIES):
        page(client, reverse("core:city_portal", kwargs={"slug": "changzhi"}))


# Session, user, roles, organisation, its region; project types, applications by status, designations, funds;
# the unread-notifications badge. No session write: activity is recorded once a minute at most.
STATISTICS_QUERIES = 10


@pytest.mark.parametrize("rows", [_one, _many], ids=["one", "many"])
def test_province_statistics_query_count_is_fixed(
    client, two_cities, past_call, make_call, django_assert_num_queries, rows
):
    rows(two_cities, past_call, make_call)
    province = Region.objects.get(level=Region.Level.PROVINCE)
    body = GovernmentBodyFactory(
        name="山西省人力资源和社会保障厅", function=Organisation.Function.PROVINCE_HR_DEPARTMENT, region=province
    )
    client.force_login(UserFactory(organisation=body, roles=[Role.PROVINCE_OBSERVER]))

    with django_assert_num_queries(STATISTICS_QUERIES):
        content = page(client, reverse("core:province_statistics"))

    assert "长治市" in content


@pytest.mark.django_db
def test_province_statistics_are_built_once_per_change_and_the_same_for_every_reader_in_the_province(
    two_cities, past_call, make_call, settings
):
    _one(two_cities, past_call, make_call)
    settings.SHENBAO_PORTAL_CACHE_SECONDS = 300
    cache.clear()
    province = Region.objects.get(level=Region.Level.PROVINCE)
    body = GovernmentBodyFactory(
        name="山西省人力资源和社会保障厅", function=Organisation.Function.PROVINCE_HR_DEPARTMENT, region=province
    )
    readers = [Client() for _ in range(2)]
    for reader in readers:  # signing in is audited: both before the first read
        reader.force_login(UserFactory(organisation=body, roles=[Role.PROVINCE_OBSERVER]))
    url = reverse("core:province_statistics")

    def read(reader):
        with CaptureQueriesContext(connection) as queries:
            content = page(reader, url)
        return content, len(queries)

    first, built = read(readers[0])
    second, cached = read(readers[1])  # another reader in the province: from the cache
    # Session, user, roles, organisation, region, the chain head, the badge: the figures' four queries are saved.
    assert cached == built - 4
    assert second.split("<table", 1)[1] == first.split("<table", 1)[1]

    make_call(open_now=True)  # an audited change: the figures are built again
    changed, rebuilt = read(readers[1])
    assert rebuilt == built and changed.count("<tr>") > first.count("<tr>")
    cache.clear()
