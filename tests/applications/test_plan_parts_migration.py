"""Migration 0005: a training base's stored 实施方案 (one section before issue 13) moves into the template's parts,
so applications and submitted versions of earlier calls still read, print and report their plan."""

import importlib

from shenbao.acceptance.targets import read_training_base_budget, read_training_base_targets
from shenbao.applications.formdata import clean_section
from shenbao.applications.sections import training_base

from .builders import YEARS_2022_CALL

MIGRATION = importlib.import_module("shenbao.applications.migrations.0006_training_base_plan_parts")
BEFORE = {
    "principles": {"trained_count": 800},
    "implementation_plan": {
        "goals": "建设目标",
        "tasks_2023": "购置设备",
        "tasks_2024": "开发课程",
        "budget": [{"category": "equipment", "subsidy_amount": "20.00", "own_amount": "30.00", "note": ""}],
        "performance_targets": [{"year": "2023", "indicator": "培训人数", "target": "500"}],
    },
}


def test_the_old_plan_moves_into_its_parts():
    after = MIGRATION._split(BEFORE)

    assert after["implementation_plan"] == {"goals": "建设目标"}
    assert [(stage["year"], stage["tasks"]) for stage in after["plan_schedule"]["stages"]] == [
        ("2023", "购置设备"),
        ("2024", "开发课程"),
    ]
    assert after["plan_budget"]["budget"] == BEFORE["implementation_plan"]["budget"]
    assert after["plan_outcomes"]["performance_targets"] == BEFORE["implementation_plan"]["performance_targets"]
    # Still valid stored data of the new form, and the progress reports find the same promises.
    spec = training_base.build_form(years=YEARS_2022_CALL, funding_amount="200000.00")
    for key in ("implementation_plan", "plan_schedule", "plan_budget", "plan_outcomes"):
        assert clean_section(spec=spec, section_key=key, data=after[key])[1] == {}
    keys = [target.key for target in read_training_base_targets(after, 2023)]
    assert keys == ["trained", "indicator-0", "stage-0"]
    assert read_training_base_budget(after)["equipment"][0] == 200000


def test_other_data_is_left_alone():
    assert MIGRATION._split({"unit_profile": {"industry": "装备制造"}}) is None
    assert MIGRATION._split(None) is None
    moved = MIGRATION._split({"implementation_plan": {"goals": "目标"}})
    assert moved == {"implementation_plan": {"goals": "目标"}}
