import pytest
from django.core.exceptions import ValidationError

from shenbao.organisations.models import Organisation, Region
from shenbao.organisations.selectors import get_first_review_body
from shenbao.organisations.services import create_applicant_unit
from tests.factories import UnitTypeFactory

pytestmark = pytest.mark.django_db

CODE = "91140500BJ1XG6128F"


def region(key):
    return Region.objects.get(key=key)


def body(name):
    return Organisation.objects.get(name=name)


def register(**overrides):
    values = {
        "name": "晋城市测试机械有限公司",
        "credit_code": CODE,
        "unit_type": UnitTypeFactory(code="enterprise", name="企业"),
        "region": region("140502"),
        "legal_representative": "张明",
        "contact_name": "李华",
        "contact_phone": "0356-2199488",
        "address": "晋城市城区",
    }
    values.update(overrides)
    return create_applicant_unit(**values)


def errors_of(excinfo):
    return {field: messages for field, messages in excinfo.value.message_dict.items()}


def test_county_unit_is_registered_with_normalised_code(reference):
    unit = register(credit_code=" 91140500bj1xg6128f ")
    assert unit.kind == Organisation.Kind.APPLICANT_UNIT
    assert unit.credit_code == CODE
    assert unit.competent_department is None


def test_duplicate_credit_code_is_refused_with_a_clear_message(reference):
    first = register()
    with pytest.raises(ValidationError) as excinfo:
        register(name="另一家公司", credit_code=CODE.lower())
    message = errors_of(excinfo)["credit_code"][0]
    assert CODE in message
    assert first.name in message
    assert "不能重复登记" in message
    assert Organisation.objects.filter(credit_code=CODE).count() == 1


def test_invalid_credit_code_is_refused_in_chinese(reference):
    with pytest.raises(ValidationError) as excinfo:
        register(credit_code=CODE[:-1] + "G")
    assert errors_of(excinfo)["credit_code"] == ["统一社会信用代码校验位不正确，请核对营业执照上的代码。"]


def test_missing_name_and_unit_type_are_refused(reference):
    with pytest.raises(ValidationError) as excinfo:
        register(name="  ", unit_type=None)
    assert set(errors_of(excinfo)) == {"name", "unit_type"}


def test_city_direct_unit_needs_a_competent_department(reference):
    with pytest.raises(ValidationError) as excinfo:
        register(region=region("140500"), is_city_direct=True)
    assert "主管部门" in errors_of(excinfo)["competent_department"][0]


def test_city_direct_department_must_be_a_competent_department(reference):
    with pytest.raises(ValidationError) as excinfo:
        register(region=region("140500"), is_city_direct=True, competent_department=body("国家税务总局晋城市税务局"))
    assert "不是主管部门" in errors_of(excinfo)["competent_department"][0]


@pytest.mark.parametrize("key", ["140500", "140000"])
def test_county_unit_must_be_in_a_county_or_zone(reference, key):
    with pytest.raises(ValidationError) as excinfo:
        register(region=region(key))
    assert "县（市、区）或开发区" in errors_of(excinfo)["region"][0]


@pytest.mark.parametrize(
    ("key", "bureau"),
    [
        ("140502", "晋城市城区人力资源和社会保障局"),
        ("140581", "高平市人力资源和社会保障局"),
        ("140500-etdz", "晋城经济技术开发区党群工作部（人社）"),
    ],
)
def test_first_review_body_of_a_county_or_zone_unit_is_its_local_bureau(reference, key, bureau):
    unit = register(region=region(key))
    assert get_first_review_body(unit=unit) == body(bureau)


def test_first_review_body_of_a_city_direct_unit_is_its_competent_department(reference):
    department = body("晋城市教育局")
    unit = register(region=region("140500"), is_city_direct=True, competent_department=department)
    assert get_first_review_body(unit=unit) == department


def test_city_direct_unit_located_in_a_county_is_still_reviewed_by_its_department(reference):
    department = body("晋城市人民政府国有资产监督管理委员会")
    unit = register(region=region("140525"), is_city_direct=True, competent_department=department)
    assert get_first_review_body(unit=unit) == department


def test_first_review_body_is_none_when_the_region_has_no_bureau(reference):
    Organisation.objects.filter(name="沁水县人力资源和社会保障局").update(is_active=False)
    unit = register(region=region("140521"))
    assert get_first_review_body(unit=unit) is None
