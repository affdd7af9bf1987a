"""Cleaning posted sections, completeness before submission, and how stored values are shown."""

import pytest
from django.db import connection

from shenbao.applications.formdata import (
    FieldError,
    check_id_number,
    clean_section,
    display_value,
    missing_fields,
    reveal_id_number,
)
from shenbao.applications.models import Application
from shenbao.applications.sections import training_base, workstation
from shenbao.applications.services import save_section
from shenbao.core.crypto import mask_id_number
from tests.applications.builders import YEARS_2022_CALL

from .builders import make_id_number, member, training_base_sections, workstation_sections

# The forms of the 2022 call (construction 2023–2024).
WORKSTATION_FORM = workstation.build_form(years=YEARS_2022_CALL)
TRAINING_BASE_FORM = training_base.build_form(years=YEARS_2022_CALL)

MEMBER_COLUMNS = {column.name: column for column in WORKSTATION_FORM.section("members").tables[0].columns}
ID_FIELD = MEMBER_COLUMNS["id_number"]
LEVEL_FIELD = MEMBER_COLUMNS["level"]


def clean_profile(**data):
    return clean_section(spec=WORKSTATION_FORM, section_key="unit_profile", data=data)


def test_values_are_converted_to_their_stored_types():
    cleaned, errors = clean_profile(employee_count=" 1,200 ", annual_revenue="12.5", industry=" 装备制造 ")
    assert errors == {}
    assert cleaned["employee_count"] == 1200
    assert cleaned["annual_revenue"] == "12.50"
    assert cleaned["industry"] == "装备制造"
    # A partial draft: what was not posted is stored empty, not refused.
    assert cleaned["overview"] == ""
    assert cleaned["high_skilled_count"] is None


@pytest.mark.parametrize(
    ("field", "raw", "message"),
    [
        ("employee_count", "12.5", "请填写整数"),
        ("employee_count", "-1", "不能小于0"),
        ("annual_revenue", "1.234", "最多保留两位小数"),
        ("annual_revenue", "abc", "请填写数字"),
        ("annual_revenue", "NaN", "请填写数字"),
        ("industry", "字" * 201, "不能超过200个字符"),
    ],
)
def test_malformed_values_are_refused_with_a_chinese_message(field, raw, message):
    _cleaned, errors = clean_profile(**{field: raw})
    assert message in errors[field]


def test_dates_and_choices_are_checked_in_table_cells():
    data = {"partners": [{"partner": "某大学", "kind": "nonsense", "start": "2022-02-30"}]}
    _cleaned, errors = clean_section(spec=WORKSTATION_FORM, section_key="cooperation", data=data)
    assert errors["partners.0.kind"] == "请从列表中选择。"
    assert "年-月-日" in errors["partners.0.start"]
    ok, errors = clean_section(
        spec=WORKSTATION_FORM,
        section_key="cooperation",
        data={"partners": [{"partner": "某大学", "kind": "university", "start": "2022-02-28"}, {}]},
    )
    assert errors == {}
    # The blank row the form offered is not a row.
    assert ok["partners"] == [
        {"partner": "某大学", "kind": "university", "agreement": "", "start": "2022-02-28", "end": None, "results": ""}
    ]


def test_too_many_rows_are_refused():
    rows = [{"name": f"设备{n}", "value": "1"} for n in range(201)]
    _cleaned, errors = clean_section(spec=WORKSTATION_FORM, section_key="station_plan", data={"equipment": rows})
    assert "最多填写200行" in errors["equipment"]


def test_a_declaration_is_a_boolean():
    cleaned, errors = clean_section(spec=TRAINING_BASE_FORM, section_key="management", data={"no_violation": "on"})
    assert errors == {}
    assert cleaned["no_violation"] is True
    cleaned, _ = clean_section(spec=TRAINING_BASE_FORM, section_key="management", data={})
    assert cleaned["no_violation"] is False


def test_id_number_checksum():
    valid = make_id_number(7)
    assert check_id_number(valid.lower()) == valid
    wrong_check = valid[:17] + ("0" if valid[17] != "0" else "1")
    with pytest.raises(FieldError, match="校验位"):
        check_id_number(wrong_check)
    with pytest.raises(FieldError, match="出生日期"):
        check_id_number(make_id_number(7, birth="19801301"))
    with pytest.raises(FieldError, match="18位"):
        check_id_number("14050219800101001")


def test_an_id_number_with_a_wrong_check_digit_is_refused_in_the_members_table():
    valid = make_id_number(8)
    row = member(1, id_number=valid[:17] + ("0" if valid[17] != "0" else "1"))
    _cleaned, errors = clean_section(spec=WORKSTATION_FORM, section_key="members", data={"members": [row]})
    assert "校验位不正确" in errors["members.0.id_number"]


def test_id_numbers_are_stored_encrypted_and_never_in_clear(draft, applicant):
    number = make_id_number(1)
    application = save_section(
        application=draft,
        section_key="members",
        data=workstation_sections(batch=0)["members"],
        user=applicant,
        expected_revision=0,
    )
    token = application.form_data["members"]["members"][0]["id_number"]
    assert token.startswith("enc:")
    assert reveal_id_number(token) == number
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT form_data, eligibility FROM {Application._meta.db_table} WHERE id = %s", [draft.pk])
        raw_row = " ".join(str(column) for column in cursor.fetchone())
    assert number not in raw_row
    assert token in raw_row


def test_an_unchanged_number_keeps_its_token(draft, applicant):
    data = workstation_sections(batch=0)["members"]
    first = save_section(application=draft, section_key="members", data=data, user=applicant, expected_revision=0)
    tokens = [row["id_number"] for row in first.form_data["members"]["members"]]
    # The number typed again, and the masked display posted back by the edit form: both mean "unchanged".
    data["members"][0]["achievements"] = "省级技术能手"
    data["members"][1]["id_number"] = mask_id_number(make_id_number(2))
    second = save_section(application=first, section_key="members", data=data, user=applicant, expected_revision=1)
    assert [row["id_number"] for row in second.form_data["members"]["members"]] == tokens
    # A changed number gets a new token.
    data["members"][2]["id_number"] = make_id_number(33)
    third = save_section(application=second, section_key="members", data=data, user=applicant, expected_revision=2)
    new_tokens = [row["id_number"] for row in third.form_data["members"]["members"]]
    assert new_tokens[:2] == tokens[:2]
    assert new_tokens[2] != tokens[2]
    assert reveal_id_number(new_tokens[2]) == make_id_number(33)


def test_a_mask_that_matches_no_stored_number_is_refused():
    row = member(1, id_number=mask_id_number(make_id_number(5)))
    _cleaned, errors = clean_section(spec=WORKSTATION_FORM, section_key="members", data={"members": [row]})
    assert errors["members.0.id_number"] == "请填写完整的身份证号码。"


def test_display_value():
    token = clean_section(spec=WORKSTATION_FORM, section_key="members", data={"members": [member(1)]})[0]["members"][0][
        "id_number"
    ]
    number = make_id_number(1)
    assert display_value(field=ID_FIELD, value=token) == f"{number[:6]}********{number[-4:]}"
    assert display_value(field=ID_FIELD, value=token, reveal=True) == number
    assert display_value(field=LEVEL_FIELD, value="skill_leader") == "技术技能带头人"
    leader_field = MEMBER_COLUMNS["is_leader"]
    assert display_value(field=leader_field, value=True) == "是"
    assert display_value(field=leader_field, value=False) == "否"
    assert display_value(field=LEVEL_FIELD, value=None) == ""


def clean_all(spec, sections):
    form_data = {}
    for key, data in sections.items():
        cleaned, errors = clean_section(spec=spec, section_key=key, data=data)
        assert errors == {}, (key, errors)
        form_data[key] = cleaned
    return form_data


def test_complete_forms_miss_nothing():
    assert missing_fields(spec=WORKSTATION_FORM, form_data=clean_all(WORKSTATION_FORM, workstation_sections())) == {}
    base = clean_all(TRAINING_BASE_FORM, training_base_sections())
    assert missing_fields(spec=TRAINING_BASE_FORM, form_data=base) == {}


def test_missing_fields_name_required_fields_min_rows_row_cells_and_declarations():
    sections = workstation_sections()
    sections["unit_profile"]["industry"] = ""
    sections["unit_profile"]["annual_revenue"] = ""  # optional
    sections["mentoring"]["pairs"] = []
    sections["members"]["members"][1]["certificate_number"] = ""
    form_data = clean_all(WORKSTATION_FORM, sections)
    del form_data["research"]
    missing = missing_fields(spec=WORKSTATION_FORM, form_data=form_data)
    assert missing == {
        "unit_profile": ["所属行业"],
        "members": ["成员名单第2行：证书编号"],
        "mentoring": ["师徒结对（至少填写1行）"],
        "research": ["技术攻关、技术研讨开展情况"],
    }
    base = clean_all(TRAINING_BASE_FORM, training_base_sections())
    base["management"]["no_violation"] = False
    assert missing_fields(spec=TRAINING_BASE_FORM, form_data=base) == {
        "management": ["本单位遵守国家有关法律法规，未发生过违规违纪事件（须确认）"]
    }
