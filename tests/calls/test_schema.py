"""Malformed call files are refused with a Chinese message naming the field, and nothing is written."""

import pytest

from shenbao.audit.models import AuditEntry
from shenbao.calls.models import Call, CallAttachment, EligibilityRule, Instalment, MaterialRequirement, RubricItem
from shenbao.calls.services import CallFileError, load_call_file
from shenbao.organisations.models import UnitType

from .helpers import as_another_call, jincheng_data, write_call_file

MODELS = (Call, Instalment, EligibilityRule, MaterialRequirement, RubricItem, CallAttachment, UnitType, AuditEntry)


def snapshot():
    calls = list(Call.objects.values_list("slug", "title", "source_sha256", "loaded_at"))
    return calls, {model.__name__: model.objects.count() for model in MODELS}


def drop_title(data):
    del data["title"]


def bad_amount(data):
    data["project_types"][0]["funding_amount"] = "-300000"


def percents_99(data):
    data["project_types"][0]["instalments"][1]["percent"] = "59"


def unknown_unit_type(data):
    data["project_types"][1]["allowed_unit_types"].append("kindergarten")


def bad_metric(data):
    data["project_types"][0]["eligibility_rules"][1]["metric"] = "member_count"


def naive_deadline(data):
    data["deadline"] = "2022-12-08T23:59:59"


def unknown_key(data):
    data["project_types"][0]["fundng_amount"] = "1"


def rubric_101(data):
    data["project_types"][1]["selection_rubric"][0]["max_points"] = "11"


def wrong_rubric_group(data):
    data["project_types"][0]["selection_rubric"][0]["group"] = "main"


def quota_reversed(data):
    data["project_types"][0]["quota_min"] = 11


def construction_reversed(data):
    data["project_types"][0]["construction_end"] = "2023-01-01"


def published_after_deadline(data):
    data["published_on"] = "2022-12-09"


def hard_rule_without_threshold(data):
    del data["project_types"][0]["eligibility_rules"][1]["threshold"]


def bad_recheck_body(data):
    data["recheck_bodies"] = ["city_org_department", "mayor"]


def bad_aggregation(data):
    data["score_aggregation"] = "max"


def bad_notice_counting(data):
    data["notice_counting"] = "calendar_days"


def first_review_due_before_deadline(data):
    data["first_review_due"] = "2022-12-07"


def three_experts_trimmed(data):
    data["experts_per_application"] = 3


def trimming_above_the_panel(data):
    data["trim_minimum_scores"] = 6


def trimming_two(data):
    data["trim_minimum_scores"] = 2


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (drop_title, "字段 title：必须填写"),
        (bad_amount, "字段 project_types[0].funding_amount：必须为大于0的金额"),
        (percents_99, "字段 project_types[0].instalments：拨付比例合计必须为100，当前为99"),
        (unknown_unit_type, "字段 project_types[1].allowed_unit_types[5]：未声明的单位类型 kindergarten"),
        (bad_metric, "字段 project_types[0].eligibility_rules[1].metric：未知的校验指标 member_count"),
        (naive_deadline, "字段 deadline：必须带时区"),
        (unknown_key, "字段 project_types[0].fundng_amount：不允许的字段"),
        (rubric_101, "字段 project_types[1].selection_rubric：专家评审评分项分值合计必须为100，当前为101"),
        (wrong_rubric_group, "字段 project_types[0].selection_rubric[0].group：必须为以下之一：material, defence"),
        (quota_reversed, "字段 project_types[0].quota_min：拟评定数量下限不得大于上限"),
        (construction_reversed, "字段 project_types[0].construction_start：建设期开始日期必须早于结束日期"),
        (published_after_deadline, "字段 published_on：发布日期不得晚于申报截止日期"),
        (hard_rule_without_threshold, "字段 project_types[0].eligibility_rules[1].threshold：硬性条件必须填写"),
        (bad_recheck_body, "字段 recheck_bodies[1]：必须为以下之一"),
        (bad_aggregation, "字段 score_aggregation：必须为以下之一：trimmed_mean, mean, median"),
        (bad_notice_counting, "字段 notice_counting：必须为以下之一"),
        (first_review_due_before_deadline, "字段 first_review_due：资格初审截止日期不得早于申报截止日期"),
        (
            three_experts_trimmed,
            "字段 experts_per_application：score_aggregation 为 trimmed_mean（去掉一个最高分和一个最低分后取平均）时，"
            "experts_per_application（3）不得少于 trim_minimum_scores（5）",
        ),
        (
            trimming_above_the_panel,
            "字段 experts_per_application：score_aggregation 为 trimmed_mean（去掉一个最高分和一个最低分后取平均）时，"
            "experts_per_application（5）不得少于 trim_minimum_scores（6）",
        ),
        (trimming_two, "字段 trim_minimum_scores：必须不小于3"),
    ],
)
def test_malformed_file_is_refused_naming_the_field_and_changes_nothing(jincheng_call, tmp_path, mutate, expected):
    before = snapshot()
    data = jincheng_data()
    mutate(data)
    path = write_call_file(tmp_path, data, name="x.yaml")

    with pytest.raises(CallFileError) as caught:
        load_call_file(path=path)

    assert f"x.yaml: {expected}" in str(caught.value)
    assert snapshot() == before


def test_the_unmodified_data_loads_from_another_directory_once_attachments_are_dropped(jincheng_city, tmp_path):
    # Guards the parametrized test above: its files fail only because of the mutation.
    data = jincheng_data()
    data["attachments"] = []
    assert load_call_file(path=write_call_file(tmp_path, data)).slug == "jincheng-2022"


def test_missing_attachment_file_names_the_field(jincheng_city, tmp_path):
    data = jincheng_data()
    with pytest.raises(CallFileError, match=r"字段 attachments\[0\]\.path：文件不存在"):
        load_call_file(path=write_call_file(tmp_path, data))
    assert not Call.objects.exists()


def test_unknown_city_names_the_field(db, tmp_path):
    data = jincheng_data()
    data["attachments"] = []
    with pytest.raises(CallFileError, match="字段 city：区域 140500 不存在"):
        load_call_file(path=write_call_file(tmp_path, data))


def test_yaml_syntax_error_gives_the_line(db, tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("slug: x\ntitle: [unclosed\n", encoding="utf-8")
    with pytest.raises(CallFileError, match=r"broken\.yaml: 第3行"):
        load_call_file(path=path)


def test_a_file_that_is_not_a_mapping_is_refused(db, tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(CallFileError, match="文件内容必须是键值映射"):
        load_call_file(path=path)


def test_a_unit_type_already_in_the_database_need_not_be_declared_again(jincheng_call, tmp_path):
    data = jincheng_data()
    as_another_call(data, slug="jincheng-2022-copy", prefix="C")
    data.update(unit_types=[], attachments=[])
    call = load_call_file(path=write_call_file(tmp_path, data))
    assert call.project_types.get(code="workstation").allowed_unit_types.count() == 5


def test_qualitative_rule_with_a_threshold_is_refused(jincheng_city, tmp_path):
    data = jincheng_data()
    data["attachments"] = []
    data["project_types"][0]["eligibility_rules"][2]["threshold"] = 3
    with pytest.raises(CallFileError, match=r"eligibility_rules\[2\]\.threshold：定性条件不得填写"):
        load_call_file(path=write_call_file(tmp_path, data))


@pytest.mark.parametrize(("due", "loaded"), [("2022-12-08", "2022-12-08"), (None, None)])
def test_first_review_due_may_be_the_deadline_day_or_absent(jincheng_city, tmp_path, due, loaded):
    data = jincheng_data()
    data["attachments"] = []
    data["first_review_due"] = due
    call = load_call_file(path=write_call_file(tmp_path, data))
    assert (call.first_review_due and call.first_review_due.isoformat()) == loaded


@pytest.mark.parametrize(
    ("changes", "trim_minimum"),
    [
        ({"experts_per_application": 3, "score_aggregation": "mean"}, 5),
        ({"experts_per_application": 4, "trim_minimum_scores": 4}, 4),
    ],
)
def test_a_panel_smaller_than_five_is_fine_without_trimming_or_with_a_lower_minimum(
    jincheng_city, tmp_path, changes, trim_minimum
):
    data = jincheng_data()
    data["attachments"] = []
    data.update(changes)
    call = load_call_file(path=write_call_file(tmp_path, data))
    assert call.trim_minimum_scores == trim_minimum
