"""Who sees which organisation: the list, the detail page (404 outside the scope) and the rules predicate."""

import pytest
from django.urls import reverse

from shenbao.accounts.roles import Role
from shenbao.organisations.models import Organisation, Region
from shenbao.organisations.selectors import list_visible_organisations
from tests.factories import GovernmentBodyFactory, OrganisationFactory, PlatformFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(reference):
    """Jincheng (reference data) plus a second city of the province, each with applicant units."""
    get = Organisation.objects.get
    city = Region.objects.get(key="140500")
    taiyuan = RegionFactory(key="140100", name="太原市", level=Region.Level.CITY, parent=city.parent)
    xiaodian = RegionFactory(key="140105", name="小店区", level=Region.Level.COUNTY, parent=taiyuan)
    sasac = get(name="晋城市人民政府国有资产监督管理委员会")
    edu = get(name="晋城市教育局")
    return {
        "chengqu_bureau": get(name="晋城市城区人力资源和社会保障局"),
        "chengqu_unit": OrganisationFactory(name="城区甲公司", region=Region.objects.get(key="140502")),
        "chengqu_unit2": OrganisationFactory(name="城区乙公司", region=Region.objects.get(key="140502")),
        "qinshui_unit": OrganisationFactory(name="沁水丙公司", region=Region.objects.get(key="140521")),
        "etdz_unit": OrganisationFactory(name="开发区丁公司", region=Region.objects.get(key="140500-etdz")),
        "sasac": sasac,
        "edu": edu,
        "sasac_unit": OrganisationFactory(
            name="市属戊集团", region=city, is_city_direct=True, competent_department=sasac
        ),
        # City-direct but located in 城区: its first review is the department's, not the county's.
        "sasac_unit_in_county": OrganisationFactory(
            name="市属己公司", region=Region.objects.get(key="140502"), is_city_direct=True, competent_department=sasac
        ),
        "edu_unit": OrganisationFactory(name="市属庚学校", region=city, is_city_direct=True, competent_department=edu),
        "taiyuan_bureau": GovernmentBodyFactory(name="小店区人社局", region=xiaodian),
        "taiyuan_unit": OrganisationFactory(name="太原辛公司", region=xiaodian),
        "taiyuan_hrss": GovernmentBodyFactory(
            name="太原市人社局", region=taiyuan, function=Organisation.Function.CITY_HR_BUREAU
        ),
        "city_hrss": get(name="晋城市人力资源和社会保障局"),
        "skills": get(name="晋城市人力资源和社会保障局技能办"),
        "tax": get(name="国家税务总局晋城市税务局"),
        "platform": get(kind=Organisation.Kind.PLATFORM),
    }


def visible_names(user):
    return set(list_visible_organisations(user=user).values_list("name", flat=True))


def names(world, *keys):
    return {world[key].name for key in keys}


def test_applicant_sees_only_its_own_unit(world):
    user = UserFactory(organisation=world["chengqu_unit"], roles=[Role.APPLICANT])
    assert visible_names(user) == names(world, "chengqu_unit")


def test_county_reviewer_sees_its_county_units_and_own_bureau_only(world):
    user = UserFactory(organisation=world["chengqu_bureau"], roles=[Role.COUNTY_REVIEWER])
    assert visible_names(user) == names(world, "chengqu_bureau", "chengqu_unit", "chengqu_unit2")


def test_zone_reviewer_sees_the_zone_units(world):
    bureau = Organisation.objects.get(name="晋城经济技术开发区党群工作部（人社）")
    user = UserFactory(organisation=bureau, roles=[Role.COUNTY_REVIEWER])
    assert visible_names(user) == {bureau.name, world["etdz_unit"].name}


def test_department_reviewer_sees_only_supervised_units(world):
    user = UserFactory(organisation=world["sasac"], roles=[Role.DEPARTMENT_REVIEWER])
    assert visible_names(user) == names(world, "sasac", "sasac_unit", "sasac_unit_in_county")


@pytest.mark.parametrize(("org_key", "role"), [("city_hrss", Role.CITY_REVIEWER), ("skills", Role.CALL_ADMIN)])
def test_city_wide_roles_see_the_whole_city_but_not_another_city(world, org_key, role):
    user = UserFactory(organisation=world[org_key], roles=[role])
    visible = visible_names(user)
    jincheng = set(Organisation.objects.filter(region__key__startswith="1405").values_list("name", flat=True))
    assert visible == jincheng
    assert names(world, "chengqu_unit", "qinshui_unit", "etdz_unit", "sasac_unit", "edu_unit", "tax") <= visible
    assert not names(world, "taiyuan_unit", "taiyuan_bureau", "taiyuan_hrss") & visible


def test_other_city_reviewer_does_not_see_jincheng(world):
    user = UserFactory(organisation=world["taiyuan_hrss"], roles=[Role.CITY_REVIEWER])
    assert visible_names(user) == names(world, "taiyuan_hrss", "taiyuan_bureau", "taiyuan_unit")


@pytest.mark.parametrize(
    ("org_key", "role"),
    [
        ("tax", Role.CONSULTED_DEPARTMENT),
        ("sasac", Role.EXPERT),
        ("platform", Role.AUDIT_ADMIN),
        ("platform", Role.SECURITY_ADMIN),
    ],
)
def test_other_roles_see_their_own_organisation_only(world, org_key, role):
    user = UserFactory(organisation=world[org_key], roles=[role])
    assert visible_names(user) == names(world, org_key)


def test_system_admin_sees_every_organisation(world):
    user = UserFactory(organisation=world["platform"], roles=[Role.SYSTEM_ADMIN])
    assert visible_names(user) == set(Organisation.objects.values_list("name", flat=True))


def test_user_without_roles_or_organisation(world):
    assert visible_names(UserFactory(organisation=world["tax"])) == names(world, "tax")
    assert visible_names(UserFactory(organisation=None)) == set()


def test_inactive_user_sees_nothing(world):
    user = UserFactory(organisation=world["platform"], roles=[Role.SYSTEM_ADMIN], is_active=False)
    assert visible_names(user) == set()


def test_rules_permission_matches_the_list(world):
    user = UserFactory(organisation=world["chengqu_bureau"], roles=[Role.COUNTY_REVIEWER])
    assert user.has_perm("organisations.view_organisation", world["chengqu_unit"])
    assert not user.has_perm("organisations.view_organisation", world["qinshui_unit"])
    assert not user.has_perm("organisations.view_organisation", world["sasac_unit_in_county"])


def test_applicant_cannot_see_another_unit_in_list_or_detail(client, world):
    own, other = world["chengqu_unit"], world["chengqu_unit2"]
    client.force_login(UserFactory(organisation=own, roles=[Role.APPLICANT]))
    response = client.get(reverse("organisations:list"))
    assert response.status_code == 200
    listed = {org.name for org in response.context["page_obj"]}
    assert listed == {own.name}
    assert other.name not in response.content.decode()
    assert client.get(reverse("organisations:detail", args=[own.public_id])).status_code == 200
    assert client.get(reverse("organisations:detail", args=[other.public_id])).status_code == 404


def test_county_reviewer_detail_404_outside_its_county(client, world):
    client.force_login(UserFactory(organisation=world["chengqu_bureau"], roles=[Role.COUNTY_REVIEWER]))
    assert client.get(reverse("organisations:detail", args=[world["chengqu_unit"].public_id])).status_code == 200
    for key in ("qinshui_unit", "sasac_unit_in_county", "taiyuan_unit"):
        assert client.get(reverse("organisations:detail", args=[world[key].public_id])).status_code == 404


def test_city_reviewer_detail_404_in_another_city(client, world):
    client.force_login(UserFactory(organisation=world["city_hrss"], roles=[Role.CITY_REVIEWER]))
    assert client.get(reverse("organisations:detail", args=[world["qinshui_unit"].public_id])).status_code == 200
    assert client.get(reverse("organisations:detail", args=[world["taiyuan_unit"].public_id])).status_code == 404


def test_platform_without_city_is_scoped_to_itself(db):
    province = RegionFactory(key="140000", name="山西省", level=Region.Level.PROVINCE)
    platform = PlatformFactory(region=province)
    OrganisationFactory(region=RegionFactory(key="140502", level=Region.Level.COUNTY, parent=province))
    user = UserFactory(organisation=platform, roles=[Role.CALL_ADMIN])
    assert visible_names(user) == {platform.name}
