import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shenbao.accounts.roles import Role
from shenbao.organisations.models import Organisation, Region
from tests.factories import OrganisationFactory, UserFactory, make_credit_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_reviewer(reference):
    return UserFactory(
        organisation=Organisation.objects.get(name="晋城市人力资源和社会保障局"), roles=[Role.CITY_REVIEWER]
    )


def listed(response):
    return [org.name for org in response.context["page_obj"]]


@pytest.mark.parametrize("name", ["organisations:list"])
def test_anonymous_is_redirected_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_anonymous_detail_is_redirected_to_login(client, reference):
    org = Organisation.objects.first()
    response = client.get(reverse("organisations:detail", args=[org.public_id]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_search_by_name_and_credit_code(client, city_reviewer):
    unit = OrganisationFactory(name="晋城搜索目标有限公司", region=Region.objects.get(key="140502"))
    client.force_login(city_reviewer)
    assert listed(client.get(reverse("organisations:list"), {"q": "搜索目标"})) == [unit.name]
    assert listed(client.get(reverse("organisations:list"), {"q": unit.credit_code[:10].lower()})) == [unit.name]


def test_filter_by_region_includes_sub_regions_and_by_kind(client, city_reviewer):
    unit = OrganisationFactory(name="沁水筛选公司", region=Region.objects.get(key="140521"))
    client.force_login(city_reviewer)
    in_qinshui = listed(client.get(reverse("organisations:list"), {"region": "140521"}))
    assert set(in_qinshui) == {unit.name, "沁水县人力资源和社会保障局"}
    applicants = listed(client.get(reverse("organisations:list"), {"kind": "applicant_unit"}))
    assert applicants == [unit.name]
    whole_city = client.get(reverse("organisations:list"), {"region": "140500"}).context["page_obj"].paginator.count
    assert whole_city == Organisation.objects.filter(region__key__startswith="1405").count()


def test_region_filter_offers_only_the_users_city(client, city_reviewer):
    Region.objects.create(key="140100", name="太原市", level=Region.Level.CITY, parent=Region.objects.get(key="140000"))
    client.force_login(city_reviewer)
    response = client.get(reverse("organisations:list"), {"region": "140100"})
    assert "region" in response.context["form"].errors
    assert "太原市" not in response.content.decode()


def test_list_is_paginated(client, city_reviewer, settings):
    settings.PAGE_SIZE = 5
    client.force_login(city_reviewer)
    response = client.get(reverse("organisations:list"), {"page": 2})
    page = response.context["page_obj"]
    assert page.number == 2
    assert len(page.object_list) == 5
    assert page.paginator.count == Organisation.objects.filter(region__key__startswith="1405").count()


def test_detail_shows_the_first_review_body(client, city_reviewer):
    sasac = Organisation.objects.get(name="晋城市人民政府国有资产监督管理委员会")
    unit = OrganisationFactory(region=Region.objects.get(key="140500"), is_city_direct=True, competent_department=sasac)
    client.force_login(city_reviewer)
    response = client.get(reverse("organisations:detail", args=[unit.public_id]))
    assert response.context["first_review_body"] == sasac
    assert "资格初审部门" in response.content.decode()


# The whole page's queries, exactly: the same with one row as with many, so a fixed extra query fails too.
LIST_QUERIES = {
    Role.CITY_REVIEWER: 9,
    Role.COUNTY_REVIEWER: 10,
    Role.SYSTEM_ADMIN: 8,
}


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context), response


@pytest.mark.parametrize(
    ("role", "org_name"),
    [
        (Role.CITY_REVIEWER, "晋城市人力资源和社会保障局"),
        (Role.COUNTY_REVIEWER, "晋城市城区人力资源和社会保障局"),
        (Role.SYSTEM_ADMIN, "申报评审平台运维中心"),
    ],
)
def test_list_query_count_does_not_grow_with_rows(client, reference, role, org_name):
    client.force_login(UserFactory(organisation=Organisation.objects.get(name=org_name), roles=[role]))
    chengqu = Region.objects.get(key="140502")
    sasac = Organisation.objects.get(name="晋城市人民政府国有资产监督管理委员会")
    OrganisationFactory(region=chengqu, credit_code=make_credit_code(9000))
    one, response = count_queries(client, reverse("organisations:list"))
    assert len(response.context["page_obj"].object_list) >= 1
    for n in range(20):
        OrganisationFactory(region=chengqu, credit_code=make_credit_code(9001 + n))
        OrganisationFactory(
            region=chengqu, is_city_direct=True, competent_department=sasac, credit_code=make_credit_code(9101 + n)
        )
    many, response = count_queries(client, reverse("organisations:list"))
    assert len(response.context["page_obj"].object_list) >= 20
    assert (one, many) == (LIST_QUERIES[role], LIST_QUERIES[role])
