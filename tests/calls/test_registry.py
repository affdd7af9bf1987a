"""Project types as one registered unit: a call file may only name a type the code provides, and everything the
code provides for a type (form, documents, metrics, target reader, fund categories) comes from its entry."""

from decimal import Decimal

import pytest

from shenbao.calls.eligibility import KNOWN_METRICS
from shenbao.calls.models import Call
from shenbao.calls.project_types import PROJECT_TYPES, UnknownProjectType, get_project_type_entry
from shenbao.calls.schema import CallFile
from shenbao.calls.services import CallFileError, load_call_file
from shenbao.documents.kinds import SLUG_BY_TITLE

from .helpers import jincheng_data, write_call_file

pytestmark = pytest.mark.django_db


def test_load_call_refuses_an_unregistered_project_type_naming_it(jincheng_city, tmp_path):
    data = jincheng_data()
    data["attachments"] = []
    data["project_types"][1]["code"] = "skill_master"
    with pytest.raises(CallFileError) as refusal:
        load_call_file(path=write_call_file(tmp_path, data))
    [line] = refusal.value.lines
    assert line.startswith("字段 project_types[1].code：未登记的项目类别 skill_master")
    assert "已登记：workstation、training_base" in line
    assert not Call.objects.exists()


def test_the_schema_alone_refuses_it_so_every_editor_of_a_call_gets_the_same_answer():
    data = jincheng_data()
    data["project_types"][0]["code"] = "master_studio"
    with pytest.raises(Exception, match="未登记的项目类别 master_studio") as refusal:
        CallFile.model_validate(data, context={"existing_unit_types": ()})
    assert refusal.value.errors()[0]["ctx"]["field"] == "project_types[0].code"


def test_a_hard_rule_may_only_name_a_metric_its_type_computes(jincheng_city, tmp_path):
    data = jincheng_data()
    data["attachments"] = []
    [index] = [i for i, rule in enumerate(data["project_types"][0]["eligibility_rules"]) if rule.get("metric")]
    data["project_types"][0]["eligibility_rules"][index]["metric"] = "annual_trainee_count"
    with pytest.raises(CallFileError) as refusal:
        load_call_file(path=write_call_file(tmp_path, data))
    assert refusal.value.lines == [
        f"字段 project_types[0].eligibility_rules[{index}].metric：项目类别 workstation 的申报表不提供校验指标 "
        "annual_trainee_count（可用：qualified_member_count）"
    ]


def test_an_unknown_code_has_no_entry():
    with pytest.raises(UnknownProjectType, match="未登记的项目类别 skill_master"):
        get_project_type_entry("skill_master")


@pytest.mark.parametrize("code", sorted(PROJECT_TYPES))
def test_every_entry_resolves_all_its_parts(code):
    entry = PROJECT_TYPES[code]
    spec = entry.resolve("form")(years=(2031, 2032), funding_amount="250000.00")
    assert spec.project_type_code == code
    assert {document for section in spec.sections for document in section.documents} == set(entry.documents)
    assert [table.total.amount for section in spec.sections for table in section.tables if table.total] == [
        Decimal("250000.00")
    ]  # the spending plan totals the call's amount
    assert entry.documents[0] == "申报书" and set(entry.documents) <= set(SLUG_BY_TITLE)
    assert set(entry.metrics) <= set(KNOWN_METRICS)
    assert entry.resolve("targets")({}, 2031) == []
    assert all(len(category) == 2 for category in entry.resolve("fund_categories"))
