import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from shenbao.organisations.models import Organisation, Region
from shenbao.organisations.reference import load_reference_data
from tests.factories import load_jincheng_reference

pytestmark = pytest.mark.django_db

Function = Organisation.Function


def test_jincheng_regions_and_first_review_bodies_are_loaded(reference):
    assert reference.regions.created == 9
    city = Region.objects.get(key="140500")
    assert city.parent.name == "山西省"
    counties = dict(city.children.filter(level=Region.Level.COUNTY).values_list("division_code", "name"))
    assert counties == {
        "140502": "城区",
        "140521": "沁水县",
        "140522": "阳城县",
        "140524": "陵川县",
        "140525": "泽州县",
        "140581": "高平市",
    }
    zone = Region.objects.get(key="140500-etdz")
    assert (zone.level, zone.division_code, zone.parent) == (Region.Level.ZONE, "", city)
    bureaus = Organisation.objects.filter(function=Function.COUNTY_HR_BUREAU)
    assert set(bureaus.values_list("region__key", flat=True)) == {*counties, "140500-etdz"}
    skills = Organisation.objects.get(function=Function.CITY_SKILLS_OFFICE)
    assert skills.parent.function == Function.CITY_HR_BUREAU
    assert Organisation.objects.filter(function=Function.COMPETENT_DEPARTMENT).count() >= 4
    assert Organisation.objects.filter(function=Function.TAX_BUREAU).count() == 1
    assert Organisation.objects.filter(function=Function.CITY_ORG_DEPARTMENT).count() == 1
    assert Organisation.objects.filter(function=Function.CONSULTED_DEPARTMENT).exists()
    assert Organisation.objects.filter(kind=Organisation.Kind.PLATFORM).count() == 1


def test_loading_twice_changes_nothing(reference):
    again = load_jincheng_reference()
    assert (again.regions.created, again.regions.updated) == (0, 0)
    assert (again.organisations.created, again.organisations.updated) == (0, 0)
    assert again.organisations.unchanged == reference.organisations.created


def test_reload_updates_a_changed_row(reference):
    Region.objects.filter(key="140521").update(name="旧名")
    again = load_jincheng_reference()
    assert again.regions.updated == 1
    assert Region.objects.get(key="140521").name == "沁水县"


def test_command_is_idempotent_and_reports_counts(db, capsys):
    call_command("load_reference_data", "data/reference/jincheng.yaml")
    call_command("load_reference_data", "data/reference/jincheng.yaml")
    out = capsys.readouterr().out
    assert "新增 created 0" in out
    assert Region.objects.count() == 9


def test_command_refuses_a_missing_file(db):
    with pytest.raises(CommandError, match="找不到参考数据文件"):
        call_command("load_reference_data", "no/such/file.yaml")


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("regions:\n  - {key: '1', name: 甲, level: planet}\n", "regions[0].level"),
        ("regions:\n  - {key: '1', name: 甲, level: city, division_code: '12'}\n", "regions[0].division_code"),
        ("regions:\n  - {key: '1', name: 甲, level: city, parent: nowhere}\n", "regions[0].parent"),
        ("regions: []\norganisations:\n  - {name: 乙, kind: government, region: '9'}\n", "organisations[0].region"),
        (
            "regions:\n  - {key: '1', name: 甲, level: city}\norganisations:\n"
            "  - {name: 乙, kind: government, function: mayor, region: '1'}\n",
            "organisations[0].function",
        ),
        (
            "regions:\n  - {key: '1', name: 甲, level: city}\norganisations:\n"
            "  - {name: 乙, kind: applicant_unit, region: '1'}\n",
            "organisations[0].kind",
        ),
        ("organisations: []\n", "regions"),
        ("- just a list\n", "顶层"),
    ],
)
def test_malformed_file_is_refused_naming_the_field_and_writes_nothing(db, text, field):
    with pytest.raises(ValidationError) as excinfo:
        load_reference_data(text=text)
    assert field in excinfo.value.messages[0]
    assert Region.objects.count() == 0
    assert Organisation.objects.count() == 0


def test_a_body_named_before_full_width_punctuation_is_renamed_not_doubled(db):
    regions = "regions:\n  - {key: '1', name: 甲, level: city}\norganisations:\n"
    load_reference_data(text=regions + "  - {name: 乙党群工作部(人社), kind: government, region: '1'}\n")
    old = Organisation.objects.get()
    load_reference_data(text=regions + "  - {name: 乙党群工作部（人社）, kind: government, region: '1'}\n")
    assert list(Organisation.objects.values_list("pk", "name")) == [(old.pk, "乙党群工作部（人社）")]
