import pytest
from django.core.exceptions import ValidationError

from shenbao.organisations.credit_code import (
    CHARSET,
    build_credit_code,
    check_credit_code,
    compute_check_character,
    validate_credit_code,
)

VALID = ["91140500BJ1XG6128F", "521405001HU49D4H77"]


@pytest.mark.parametrize("code", VALID)
def test_known_real_codes_are_accepted(code):
    result = check_credit_code(code)
    assert result.is_valid
    assert result.code == code
    validate_credit_code(code)


def test_changed_last_character_is_rejected_in_chinese():
    code = VALID[0][:-1] + "G"
    result = check_credit_code(code)
    assert not result.is_valid
    assert result.error == "统一社会信用代码校验位不正确，请核对营业执照上的代码。"
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code(code)
    assert excinfo.value.messages == [result.error]


@pytest.mark.parametrize("position", range(17))
def test_any_single_changed_character_is_rejected(position):
    code = VALID[0]
    replacement = next(char for char in CHARSET if char != code[position])
    assert not check_credit_code(code[:position] + replacement + code[position + 1 :]).is_valid


@pytest.mark.parametrize(("code", "length"), [(VALID[0][:-1], 17), (VALID[0] + "1", 19), ("", 0)])
def test_wrong_length_is_rejected(code, length):
    result = check_credit_code(code)
    assert result.error == f"统一社会信用代码应为18位，当前为{length}位。"


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_forbidden_letters_are_rejected(letter):
    code = VALID[0][:8] + letter + VALID[0][9:]
    result = check_credit_code(code)
    assert not result.is_valid
    assert letter in result.error
    assert "不使用 I、O、S、V、Z" in result.error


def test_lower_case_and_spaces_are_normalised():
    result = check_credit_code(" 91140500bj1xg6128f ")
    assert result.is_valid
    assert result.code == "91140500BJ1XG6128F"
    assert check_credit_code("9114 0500 BJ1X G612 8F").code == "91140500BJ1XG6128F"


def test_inner_organisation_code_mismatch_warns_but_does_not_reject():
    good = build_credit_code(authority="91", division="140502", organisation_code="10000001")
    assert check_credit_code(good).warning is None
    wrong_inner = "7" if good[16] != "7" else "8"
    first17 = good[:16] + wrong_inner
    code = first17 + compute_check_character(first17)
    result = check_credit_code(code)
    assert result.is_valid
    assert "组织机构代码" in result.warning
    validate_credit_code(code)


def test_letters_in_first_eight_positions_are_valid_for_other_authorities():
    code = build_credit_code(authority="Y1", division="14050A", organisation_code="10000001")
    assert check_credit_code(code).is_valid
