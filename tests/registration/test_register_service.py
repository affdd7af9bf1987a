"""register_applicant_unit: one transaction, derived first-review body, duplicates refused without naming the holder."""

import pytest
from django.core.exceptions import ValidationError

from shenbao.accounts.models import User
from shenbao.accounts.roles import Role
from shenbao.audit.models import AuditEntry
from shenbao.organisations.models import Organisation, UnitType
from shenbao.organisations.registration import DUPLICATE_CODE_MESSAGE, register_applicant_unit
from shenbao.organisations.selectors import get_first_review_body
from tests.factories import OrganisationFactory, make_credit_code

VALID_CODE = "91140500BJ1XG6128F"


@pytest.fixture
def register(reference, region, strong_password):
    def _register(**overrides):
        values = {
            "name": "晋城市沁水测试机械有限公司",
            "credit_code": VALID_CODE,
            "unit_type": UnitType.objects.get(code="enterprise"),
            "region": region("140521"),
            "legal_representative": "张三",
            "contact_name": "李四",
            "contact_phone": "0356-1234567",
            "contact_email": "office@example.cn",
            "address": "山西省晋城市沁水县龙港镇",
            "username": "qinshui_jixie",
            "full_name": "王经办",
            "email": "wang@example.cn",
            "phone": "13800000000",
            "password": strong_password,
            "remote_addr": "203.0.113.7",
        }
        values.update(overrides)
        return register_applicant_unit(**values)

    return _register


def _messages(exc, field):
    return exc.value.message_dict[field]


@pytest.mark.parametrize(
    ("region_key", "expected_body"),
    [("140521", "沁水县人力资源和社会保障局"), ("140500-etdz", "晋城经济技术开发区党群工作部（人社）")],
)
def test_county_and_zone_units_get_their_local_bureau(register, region, region_key, expected_body):
    unit, user = register(region=region(region_key))

    assert unit.kind == Organisation.Kind.APPLICANT_UNIT
    assert unit.credit_code == VALID_CODE
    assert unit.is_city_direct is False
    assert unit.competent_department is None
    assert get_first_review_body(unit=unit).name == expected_body
    assert user.organisation == unit
    assert user.roles == {Role.APPLICANT}
    assert user.check_password("Qinshui#2022reg")
    assert user.full_name == "王经办"


def test_city_direct_unit_is_first_reviewed_by_its_competent_department(register, region, body):
    department = body("晋城市教育局")
    unit, _ = register(region=region("140500"), is_city_direct=True, competent_department=department)

    assert unit.is_city_direct is True
    assert get_first_review_body(unit=unit) == department


def test_registration_is_audited(register):
    unit, user = register()

    entry = AuditEntry.objects.get(event="unit:register")
    assert entry.actor == user
    assert entry.object_pk == str(unit.pk)
    assert entry.remote_addr == "203.0.113.7"
    assert entry.result == AuditEntry.Result.SUCCESS


def test_credit_code_with_a_wrong_check_character_is_refused_in_chinese(register):
    with pytest.raises(ValidationError) as exc:
        register(credit_code="91140500BJ1XG6128E")

    assert _messages(exc, "credit_code") == ["统一社会信用代码校验位不正确，请核对营业执照上的代码。"]
    assert not Organisation.objects.filter(kind=Organisation.Kind.APPLICANT_UNIT).exists()
    assert not User.objects.exists()


def test_code_with_an_organisation_code_warning_is_accepted(register):
    code = make_credit_code(5)  # the GB 11714 inner check fails on this one: warned about, not refused
    unit, _ = register(credit_code=code)

    assert unit.credit_code == code


@pytest.mark.parametrize("typed", [VALID_CODE, VALID_CODE.lower(), " 91140500 BJ1XG6128F "])
def test_duplicate_code_is_refused_without_naming_the_unit_holding_it(register, typed):
    OrganisationFactory(name="已注册的某某集团", credit_code=VALID_CODE)

    with pytest.raises(ValidationError) as exc:
        register(credit_code=typed)

    assert _messages(exc, "credit_code") == [DUPLICATE_CODE_MESSAGE]
    assert "某某集团" not in str(exc.value)
    assert not User.objects.exists()


def test_city_direct_unit_without_a_competent_department_is_refused(register, region):
    with pytest.raises(ValidationError) as exc:
        register(region=region("140500"), is_city_direct=True, competent_department=None)

    assert "须选择主管部门" in _messages(exc, "competent_department")[0]
    assert not Organisation.objects.filter(kind=Organisation.Kind.APPLICANT_UNIT).exists()


def test_a_county_bureau_is_not_a_competent_department(register, region, body):
    with pytest.raises(ValidationError) as exc:
        register(region=region("140500"), is_city_direct=True, competent_department=body("沁水县人力资源和社会保障局"))

    assert "不是主管部门" in _messages(exc, "competent_department")[0]


def test_a_non_city_direct_unit_must_sit_in_a_county_or_zone(register, region):
    with pytest.raises(ValidationError) as exc:
        register(region=region("140500"), is_city_direct=False)

    assert "县（市、区）或开发区" in _messages(exc, "region")[0]


def test_unit_type_is_required(register):
    with pytest.raises(ValidationError) as exc:
        register(unit_type=None)

    assert _messages(exc, "unit_type") == ["请选择单位类型。"]


@pytest.mark.parametrize(
    ("password", "fragment"),
    [("Ab#1234", "太短"), ("20221208", "只包含数字"), ("password123", "太常见"), ("qinshui_jixie1", "太相似")],
)
def test_django_password_validators_apply(register, password, fragment):
    with pytest.raises(ValidationError) as exc:
        register(password=password)

    assert any(fragment in message for message in _messages(exc, "password"))
    assert not Organisation.objects.filter(kind=Organisation.Kind.APPLICANT_UNIT).exists()


def test_unit_and_account_errors_are_reported_together_and_nothing_is_written(register):
    OrganisationFactory(credit_code=VALID_CODE)
    User.objects.create_user(username="taken", password="x")

    with pytest.raises(ValidationError) as exc:
        register(username="Taken", name="")

    assert set(exc.value.message_dict) >= {"credit_code", "username", "name"}
    assert Organisation.objects.filter(kind=Organisation.Kind.APPLICANT_UNIT).count() == 1


def test_a_taken_username_rolls_back_the_new_unit(register):
    User.objects.create_user(username="qinshui_jixie", password="x")

    with pytest.raises(ValidationError) as exc:
        register()

    assert "已被使用" in _messages(exc, "username")[0]
    assert not Organisation.objects.filter(credit_code=VALID_CODE).exists()
