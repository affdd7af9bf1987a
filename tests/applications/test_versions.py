"""Every submission is kept as a version with a readable diff; the status page's history."""

import pytest

from shenbao.applications.diff import diff_form_data
from shenbao.applications.formdata import reveal_id_number
from shenbao.applications.models import ApplicationVersion
from shenbao.applications.sections import workstation
from shenbao.applications.selectors import get_version_with_diff, list_application_history, list_versions
from shenbao.applications.services import fire_transition, save_section
from tests.applications.builders import YEARS_2022_CALL

from .builders import IN_TIME, make_id_number, member, workstation_sections

# The forms of the 2022 call (construction 2023–2024).
WORKSTATION_FORM = workstation.build_form(years=YEARS_2022_CALL)


@pytest.fixture
def returned(ready_draft, applicant, county_reviewer):
    submitted = fire_transition(application=ready_draft, name="submit", actor=applicant, at=IN_TIME)
    return fire_transition(
        application=submitted,
        name="return_for_revision",
        actor=county_reviewer,
        comment="成员证书不清晰，请补充。",
        payload={"resubmission_due": "2022-12-20"},
        at=IN_TIME,
    )


def test_return_edit_resubmit_creates_version_two_with_a_diff(returned, applicant):
    sections = workstation_sections()
    for row, stored in zip(sections["members"]["members"], returned.form_data["members"]["members"], strict=True):
        row["id_number"] = reveal_id_number(stored["id_number"])  # the same people as submitted
    sections["unit_profile"]["employee_count"] = "560"
    sections["members"]["members"][2]["level"] = "senior_technician"
    sections["members"]["members"].append(member(4))
    application = returned
    for key in ("unit_profile", "members"):
        application = save_section(
            application=application,
            section_key=key,
            data=sections[key],
            user=applicant,
            expected_revision=application.revision,
        )
    resubmitted = fire_transition(application=application, name="resubmit", actor=applicant, at=IN_TIME)
    assert resubmitted.status == "submitted"
    assert [version.sequence for version in list_versions(application=resubmitted)] == [1, 2]

    version, previous, changes = get_version_with_diff(application=resubmitted, sequence=2)
    assert (version.sequence, previous.sequence) == (2, 1)
    readable = [(change["section"], change["label"], change["old"], change["new"]) for change in changes]
    assert ("单位基本情况", "职工总数（人）", "520", "560") in readable
    assert ("工作站成员", "成员名单第3行 技能等级", "技师", "高级技师") in readable
    added = next(change for change in changes if change["kind"] == "added")
    assert added["label"] == "成员名单第4行"
    number = make_id_number(4)
    assert f"身份证号码：{number[:6]}********{number[-4:]}" in added["new"]
    assert number not in str(changes)
    # Unchanged members keep their tokens, so they are not reported as changed.
    assert not any(change["label"].startswith("成员名单第1行") for change in changes)
    # Version 1 stays exactly what was first submitted.
    assert (
        ApplicationVersion.objects.get(application=resubmitted, sequence=1).form_data["unit_profile"]["employee_count"]
        == 520
    )


def test_the_first_version_has_nothing_to_compare(returned):
    _version, previous, changes = get_version_with_diff(application=returned, sequence=1)
    assert previous is None
    assert changes == []
    with pytest.raises(ApplicationVersion.DoesNotExist):
        get_version_with_diff(application=returned, sequence=3)


def test_removed_rows_and_cleared_fields_are_listed():
    old = {
        "members": {"members": [{"name": "甲", "level": "technician"}, {"name": "乙", "level": "skill_leader"}]},
        "unit_profile": {"annual_revenue": "10.00"},
    }
    new = {"members": {"members": [{"name": "甲", "level": "technician"}]}, "unit_profile": {"annual_revenue": None}}
    changes = diff_form_data(spec=WORKSTATION_FORM, old=old, new=new)
    assert [(change["label"], change["old"], change["new"], change["kind"]) for change in changes] == [
        ("上年度营业收入（万元）", "10.00", "", "changed"),
        ("成员名单第2行", "姓名：乙；技能等级：技术技能带头人；领衔人：否", "", "removed"),
    ]


def test_history_lists_every_step_and_the_comment_to_the_unit(returned, applicant, county_reviewer):
    history = list_application_history(application=returned)
    assert [(entry["kind"], entry["label"]) for entry in history] == [
        ("created", "创建申报"),
        ("transition", "提交申报"),
        ("transition", "退回修改"),
        ("comment", "退回修改意见"),
    ]
    comment = history[-1]
    assert comment["text"] == "成员证书不清晰，请补充。"
    assert comment["organisation"] == county_reviewer.organisation
    assert history[2]["target"] == "退回修改"
