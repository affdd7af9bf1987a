"""Acceptance bands, the progress-report due day and the plaque number prefix come from the call file, per project
type; a file without them gets today's values (DOMAIN.md §7, 年度报告次年1月底前, JCJS/JCJD)."""

import datetime
from decimal import Decimal

import pytest

from shenbao.acceptance import bands
from shenbao.acceptance.periods import report_due_on
from shenbao.awards.effects import plaque_prefix
from shenbao.calls.defaults import default_plaque_prefix
from shenbao.calls.formatting import join_project_type_names
from shenbao.calls.models import ProjectType
from shenbao.calls.services import CallFileError, load_call_file
from tests.paths import CALL_TEST_DATA

from .helpers import jincheng_data, write_call_file

pytestmark = pytest.mark.django_db
D = Decimal
NEW_KEYS = ("acceptance_bands", "progress_report_due", "plaque_number_prefix")


def settings_of(project_type):
    return (
        project_type.acceptance_excellent_min,
        project_type.acceptance_good_min,
        project_type.acceptance_qualified_min,
        project_type.acceptance_main_item_min_ratio,
        project_type.progress_report_due_month,
        project_type.progress_report_due_day,
        project_type.plaque_number_prefix,
    )


def test_the_2022_call_file_states_todays_values(jincheng_call):
    types = {project_type.code: project_type for project_type in jincheng_call.project_types.all()}
    assert settings_of(types["workstation"]) == (D("90"), D("80"), D("60"), D("0.6"), 1, 31, "JCJS")
    assert settings_of(types["training_base"]) == (D("90"), D("80"), D("60"), D("0.6"), 1, 31, "JCJD")


def test_a_file_without_the_settings_gets_todays_values(jincheng_city, tmp_path):
    data = jincheng_data()
    data["attachments"] = []
    for project_type in data["project_types"]:
        for key in NEW_KEYS:
            del project_type[key]
    call = load_call_file(path=write_call_file(tmp_path, data))

    types = {project_type.code: project_type for project_type in call.project_types.all()}
    assert settings_of(types["workstation"]) == (D("90"), D("80"), D("60"), D("0.6"), 1, 31, "JCJS")
    assert settings_of(types["training_base"]) == (D("90"), D("80"), D("60"), D("0.6"), 1, 31, "JCJD")
    assert report_due_on(types["workstation"], 2023) == datetime.date(2024, 1, 31)


def test_another_type_without_a_prefix_uses_its_code(jincheng_city, tmp_path):
    # A call file may only name registered types (tests/calls/test_registry.py); a future one's prefix is its code.
    assert default_plaque_prefix("skill_master") == "SKILLMAS"
    data = jincheng_data()
    data["attachments"] = []
    del data["project_types"][1]["plaque_number_prefix"]
    call = load_call_file(path=write_call_file(tmp_path, data))
    assert call.project_types.get(code="training_base").plaque_number_prefix == "JCJD"


def test_reloading_writes_nothing_new(jincheng_call):
    assert load_call_file(path=CALL_TEST_DATA.parent.parent.parent / "calls" / "jincheng-2022.yaml").changes == []


@pytest.fixture
def call_2023(jincheng_call):
    return load_call_file(path=CALL_TEST_DATA / "example-2023.yaml")


def test_a_new_years_call_sets_its_own_values_without_code(call_2023):
    project_type = call_2023.project_types.get()
    assert settings_of(project_type) == (D("85"), D("75"), D("65"), D("0.5"), 2, 31, "JCJS23")
    assert plaque_prefix(project_type) == "JCJS23"


@pytest.mark.parametrize(
    ("total", "band"),
    [
        ("100", "excellent"),
        ("85", "excellent"),
        ("84.99", "good"),
        ("75", "good"),
        ("74.99", "qualified"),
        ("65", "qualified"),
        ("64.99", "failed"),
    ],
)
def test_the_band_table_of_the_call_file_at_each_boundary(call_2023, total, band):
    project_type = call_2023.project_types.get()
    assert bands.acceptance_band(total=D(total), rules=bands.rules_of(project_type)) == band


def test_the_main_item_share_of_the_call_file(call_2023):
    project_type = call_2023.project_types.get()
    share = bands.main_item_ratio_of(project_type)
    assert bands.item_minimum(D("15"), share=share) == D("7.50")
    at_half = [bands.ItemScore(D("7.5"), D("15")), bands.ItemScore(D("85"), D("85"))]
    below_half = [bands.ItemScore(D("7.49"), D("15")), bands.ItemScore(D("85"), D("85"))]
    rules = bands.rules_of(project_type)
    assert bands.acceptance_band(total=D("92.5"), items=at_half, rules=rules, share=share) == "excellent"
    assert bands.acceptance_band(total=D("92.49"), items=below_half, rules=rules, share=share) == "failed"
    # With the defaults 7.5 of 15 (50%) would already fail.
    assert bands.acceptance_band(total=D("92.5"), items=at_half) == "failed"


def test_a_due_day_past_the_months_end_is_its_last_day(call_2023):
    project_type = call_2023.project_types.get()
    assert report_due_on(project_type, 2023) == datetime.date(2024, 2, 29)
    assert report_due_on(project_type, 2024) == datetime.date(2025, 2, 28)


def _set(path, value):
    def change(data):
        target = data["project_types"][0]
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _duplicate_prefix(data):
    data["project_types"][1]["plaque_number_prefix"] = "JCJS"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            _set(("acceptance_bands", "excellent"), "80"),
            "字段 project_types[0].acceptance_bands.excellent：优秀分数线必须高于良好分数线",
        ),
        (
            _set(("acceptance_bands", "good"), "60"),
            "字段 project_types[0].acceptance_bands.good：良好分数线必须高于合格分数线",
        ),
        (
            _set(("acceptance_bands", "qualified"), "0"),
            "字段 project_types[0].acceptance_bands.qualified：必须为大于0且不超过100的分数",
        ),
        (
            _set(("acceptance_bands", "excellent"), "100.5"),
            "字段 project_types[0].acceptance_bands.excellent：必须为大于0且不超过100的分数",
        ),
        (
            _set(("acceptance_bands", "main_item_min_ratio"), "0"),
            "字段 project_types[0].acceptance_bands.main_item_min_ratio：必须为大于0且不超过1的比例",
        ),
        (
            _set(("acceptance_bands", "main_item_min_ratio"), "1.01"),
            "字段 project_types[0].acceptance_bands.main_item_min_ratio：必须为大于0且不超过1的比例",
        ),
        (
            _set(("acceptance_bands", "pass"), "60"),
            "字段 project_types[0].acceptance_bands.pass：不允许的字段（请检查拼写）",
        ),
        (_set(("progress_report_due", "month"), 13), "字段 project_types[0].progress_report_due.month：必须不大于12"),
        (_set(("progress_report_due", "day"), 0), "字段 project_types[0].progress_report_due.day：必须不小于1"),
        (
            _set(("plaque_number_prefix",), "jcjs"),
            "字段 project_types[0].plaque_number_prefix：格式不正确（只能使用大写字母、数字和连字符）",
        ),
        (_duplicate_prefix, "字段 project_types[1].plaque_number_prefix：牌匾编号前缀 JCJS 与其他项目类别重复"),
    ],
)
def test_bad_settings_are_refused_naming_the_field(jincheng_city, tmp_path, change, expected):
    data = jincheng_data()
    data["attachments"] = []
    change(data)
    with pytest.raises(CallFileError) as error:
        load_call_file(path=write_call_file(tmp_path, data))
    assert error.value.lines == [expected]
    assert not ProjectType.objects.exists()


def test_a_one_ratio_and_a_hundred_line_are_allowed(jincheng_city, tmp_path):
    data = jincheng_data()
    data["attachments"] = []
    data["project_types"][0]["acceptance_bands"] = {"excellent": "100", "main_item_min_ratio": "1"}
    call = load_call_file(path=write_call_file(tmp_path, data))
    project_type = call.project_types.get(code="workstation")
    assert (project_type.acceptance_excellent_min, project_type.acceptance_good_min) == (D("100"), D("80"))
    assert project_type.acceptance_main_item_min_ratio == D("1")


@pytest.mark.parametrize(
    ("names", "joined"),
    [
        ([], ""),
        (["市级技师工作站"], "市级技师工作站"),
        (["市级技师工作站", "市级技能人才培养基地"], "市级技师工作站和技能人才培养基地"),
        (["市级技能大师工作室", "省级技能人才培养基地"], "市级技能大师工作室和省级技能人才培养基地"),
        (["技师工作站", "技能人才培养基地", "技能大师工作室"], "技师工作站、技能人才培养基地和技能大师工作室"),
    ],
)
def test_project_type_names_are_joined_saying_the_shared_level_once(names, joined):
    assert join_project_type_names(names) == joined
