"""`reuse.plan_copy` at its boundaries: what two specs share is copied and cleaned again; nothing else is."""

import pytest

from shenbao.applications.formdata import clean_section, reveal_id_number
from shenbao.applications.reuse import (
    DECLARATION,
    NOT_IN_EARLIER_FORM,
    NOT_IN_EARLIER_SECTION,
    NOT_IN_EARLIER_TABLE,
    plan_copy,
    sections_in_common,
)
from shenbao.applications.sections import training_base, workstation
from shenbao.applications.sections.spec import Field, FormSpec, Section, Table
from shenbao.applications.tableimport import _cell_raw

from .builders import make_id_number, workstation_sections

# The two registered forms as the 2022 call builds them (construction 2023–2024).
WORKSTATION_FORM = workstation.build_form(years=(2023, 2024))
TRAINING_BASE_FORM = training_base.build_form(years=(2023, 2024))

EARLIER = FormSpec(
    "demo",
    (
        Section(
            "profile",
            "基本情况",
            ("申报书",),
            (
                Field("name", "名称"),
                Field("summary", "简介", "text"),
                Field("count", "人数", "integer", min_value=0),
                Field("year", "年度", "choice", choices=(("y1", "第一年"), ("y2", "第二年"))),
                Field("agree", "承诺", "boolean", must_be_true=True),
                Field("size", "面积", "text"),
                Field("unused", "往年才有"),
            ),
        ),
        Section(
            "team",
            "团队",
            ("申报书",),
            (
                Table(
                    "people",
                    "人员",
                    (
                        Field("name", "姓名"),
                        Field("id_number", "身份证号码", "id_number"),
                        Field("year", "年度", "choice", choices=(("y1", "第一年"), ("y2", "第二年"))),
                    ),
                ),
            ),
        ),
        Section("old_only", "往年部分", ("申报书",), (Field("x", "x"),)),
    ),
)
THIS_YEAR = FormSpec(
    "demo",
    (
        Section(
            "profile",
            "基本情况",
            ("申报书",),
            (
                Field("name", "名称"),
                Field("summary", "简介", "textarea"),  # text → textarea: compatible
                Field("count", "人数", "integer", min_value=10),  # a new minimum refuses last year's 5
                Field("year", "年度", "choice", choices=(("y2", "第二年"), ("y3", "第三年"))),
                Field("agree", "承诺", "boolean", must_be_true=True),
                Field("size", "面积", "decimal"),  # text → decimal: not compatible
                Field("tasks_y3", "第三年任务", "textarea"),  # a year-bound key the earlier form did not have
            ),
        ),
        Section(
            "team",
            "团队",
            ("申报书",),
            (
                Table(
                    "people",
                    "人员",
                    (
                        Field("name", "姓名"),
                        Field("id_number", "身份证号码", "id_number"),
                        Field("year", "年度", "choice", choices=(("y2", "第二年"), ("y3", "第三年"))),
                        Field("role", "分工"),
                    ),
                ),
            ),
        ),
        Section("new_only", "今年部分", ("申报书",), (Field("y", "y"),)),
    ),
)


def earlier_form_data():
    profile, errors = clean_section(
        spec=EARLIER,
        section_key="profile",
        data={
            "name": "甲单位",
            "summary": "简介",
            "count": "5",
            "year": "y1",
            "agree": "on",
            "size": "300",
            "unused": "旧",
        },
    )
    team, team_errors = clean_section(
        spec=EARLIER,
        section_key="team",
        data={
            "people": [
                {"name": "张三", "id_number": make_id_number(1), "year": "y1"},
                {"name": "李四", "id_number": make_id_number(2), "year": "y2"},
            ]
        },
    )
    assert not errors and not team_errors
    return {"profile": profile, "team": team, "old_only": {"x": "旧"}}


def by_key(plan):
    return {section.key: section for section in plan}


def test_only_what_both_forms_hold_and_this_years_form_accepts_is_copied():
    data = earlier_form_data()
    plan = by_key(plan_copy(source_spec=EARLIER, source_form_data=data, target_spec=THIS_YEAR))

    profile = plan["profile"]
    assert profile.values == {"name": "甲单位", "summary": "简介"}
    assert profile.copied == ["名称", "简介"]
    reasons = {item["label"]: item["reason"] for item in profile.reenter}
    assert reasons["人数"] == "不能小于10。" or reasons["人数"].startswith("不能小于10")
    assert reasons["年度"].startswith("请从列表中选择")
    assert reasons["承诺"] == DECLARATION
    assert reasons["面积"] == NOT_IN_EARLIER_FORM
    assert reasons["第三年任务"] == NOT_IN_EARLIER_FORM
    assert "往年才有" not in reasons

    team = plan["team"]
    rows = team.values["people"]
    assert [row["name"] for row in rows] == ["张三", "李四"]
    # The encrypted numbers are the very tokens of last year (no re-encryption, no clear text).
    assert [row["id_number"] for row in rows] == [row["id_number"] for row in data["team"]["people"]]
    assert reveal_id_number(rows[0]["id_number"]) == make_id_number(1)
    assert [row["year"] for row in rows] == [None, "y2"]  # y1 no longer offered: left for the unit
    team_reasons = [f"{item['label']}：{item['reason']}" for item in team.reenter]
    assert any(reason.startswith("人员第1行「年度」：请从列表中选择") for reason in team_reasons)
    assert f"人员「分工」：{NOT_IN_EARLIER_TABLE}" in team_reasons

    assert plan["new_only"].reenter == [{"label": "今年部分", "reason": NOT_IN_EARLIER_SECTION}]
    assert "old_only" not in plan


def test_sections_in_common_are_those_with_a_compatible_item():
    assert sections_in_common(source_spec=EARLIER, target_spec=THIS_YEAR) == ["profile", "team"]
    only_declaration = FormSpec(
        "other",
        (Section("profile", "基本情况", ("申报书",), (Field("agree", "承诺", "boolean", must_be_true=True),)),),
    )
    assert sections_in_common(source_spec=EARLIER, target_spec=only_declaration) == []


def test_another_project_type_copies_only_the_sections_that_match():
    assert sections_in_common(
        source_spec=workstation.build_form(years=(2023, 2024)), target_spec=training_base.build_form(years=(2023, 2024))
    ) == ["unit_profile"]
    data = {}
    for key, raw in workstation_sections().items():
        data[key], errors = clean_section(spec=WORKSTATION_FORM, section_key=key, data=raw)
        assert not errors
    plan = by_key(plan_copy(source_spec=WORKSTATION_FORM, source_form_data=data, target_spec=TRAINING_BASE_FORM))
    assert plan["unit_profile"].values == {
        "founded_on": "2003-05-18",
        "industry": "装备制造",
        "employee_count": 520,
        "overview": "本单位是一家装备制造企业。",
    }
    assert all(not section.values for key, section in plan.items() if key != "unit_profile")


def test_a_cell_with_a_control_character_is_refused():
    name = Field("name", "姓名")
    with pytest.raises(ValueError, match="控制字符"):
        _cell_raw(name, "张\x00三")
    assert _cell_raw(name, " 张三\n") == "张三"
    assert _cell_raw(Field("level", "等级", "choice", choices=(("technician", "技师"),)), "技师") == "technician"
