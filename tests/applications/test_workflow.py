"""Submitting, withdrawing and returning applications through `fire_transition`."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm_log.models import StateLog

from shenbao.accounts.roles import Role
from shenbao.applications.models import ApplicationMaterial, ReviewComment
from shenbao.applications.selectors import get_submission_checklist
from shenbao.applications.services import fire_transition, save_section
from shenbao.applications.steps import resolve
from shenbao.applications.workflow import TRANSITIONS
from shenbao.audit.models import AuditEntry
from shenbao.organisations.models import Organisation
from tests.factories import UserFactory

from .builders import IN_TIME, LAST_SECOND, TOO_LATE, county_bureau_of, workstation_sections

RETURN_PAYLOAD = {"resubmission_due": "2022-12-15"}


def submit(application, user, at=IN_TIME):
    return fire_transition(application=application, name="submit", actor=user, at=at)


def return_for_revision(application, reviewer, at=IN_TIME, comment="请补充成员证书。", payload=RETURN_PAYLOAD):
    return fire_transition(
        application=application, name="return_for_revision", actor=reviewer, comment=comment, payload=payload, at=at
    )


def test_every_name_in_the_workflow_table_resolves():
    for step in TRANSITIONS:
        assert callable(resolve("actor", step.actor)), step.name
        for name in step.guards:
            assert callable(resolve("guard", name)), (step.name, name)
        for name in step.effects:
            assert callable(resolve("effect", name)), (step.name, name)


def test_submit_records_routes_snapshots_and_audits(ready_draft, applicant, county_bureau):
    application = submit(ready_draft, applicant)
    assert application.status == "submitted"
    assert application.submitted_at == IN_TIME
    assert application.first_review_body == county_bureau
    assert next(item for item in application.eligibility if item["code"] == "qualified-members")["passed"] is True
    log = StateLog.objects.for_(application).get()
    assert (log.transition, log.source_state, log.state, log.by) == ("submit", "draft", "submitted", applicant)
    version = application.versions.get()
    assert version.sequence == 1
    assert version.form_data == application.form_data
    assert version.submitted_by == applicant
    assert {item["requirement"] for item in version.materials} == {
        "member-certificates",
        "business-licence",
        "bank-account",
    }
    assert all(set(item) >= {"name", "requirement", "sha256", "size"} for item in version.materials)
    entry = AuditEntry.objects.get(event="workflow:submit")
    assert entry.actor == applicant
    assert entry.changes == {"状态": ["草稿", "已提交，待资格初审"]}


@pytest.mark.parametrize(("at", "accepted"), [(LAST_SECOND, True), (TOO_LATE, False)])
def test_deadline_boundary_in_beijing_time(ready_draft, applicant, at, accepted):
    if accepted:
        assert submit(ready_draft, applicant, at=at).status == "submitted"
        return
    with pytest.raises(ValidationError) as caught:
        submit(ready_draft, applicant, at=at)
    assert caught.value.messages == ["本次申报已于2022年12月08日 23:59:59（北京时间）截止，不能再提交。"]
    assert not StateLog.objects.for_(ready_draft).exists()


def test_the_deadline_is_an_instant_not_a_server_local_date(ready_draft, applicant):
    # 2022-12-08 16:00 UTC is 2022-12-09 00:00 in Beijing: too late wherever the server runs.
    with pytest.raises(ValidationError, match="截止"):
        submit(ready_draft, applicant, at=datetime.datetime(2022, 12, 8, 16, 0, tzinfo=datetime.UTC))


def test_an_incomplete_application_is_refused_with_every_reason(draft, applicant):
    sections = workstation_sections(qualified=2)
    application = save_section(
        application=draft, section_key="members", data=sections["members"], user=applicant, expected_revision=0
    )
    with pytest.raises(ValidationError) as caught:
        submit(application, applicant)
    messages = caught.value.messages
    assert (
        "「单位基本情况」尚未填写完整：单位成立时间、所属行业、职工总数（人）、技能人才总数（人）、高技能人才数（人）、"
        "工作站依托的技能岗位、电子邮箱、邮政编码、单位简介。" in messages
    )
    assert any(
        message.startswith("不符合申报条件：技师、高级技师及技术技能带头人人数为2，须≥3") for message in messages
    )
    assert any(message.startswith("尚未上传必交材料：「工作站成员证书及业绩材料」") for message in messages)
    assert not application.versions.exists()


def test_a_missing_material_alone_blocks(ready_draft, applicant):
    ApplicationMaterial.objects.filter(application=ready_draft, requirement__code="bank-account").delete()
    with pytest.raises(ValidationError) as caught:
        submit(ready_draft, applicant)
    assert caught.value.messages == ["尚未上传必交材料：「银行基本账户开户许可证复印件」。"]


def test_a_failing_rule_alone_blocks(ready_draft, applicant):
    members = workstation_sections(qualified=2, senior_workers=1)["members"]
    application = save_section(
        application=ready_draft,
        section_key="members",
        data=members,
        user=applicant,
        expected_revision=ready_draft.revision,
    )
    with pytest.raises(ValidationError) as caught:
        submit(application, applicant)
    assert len(caught.value.messages) == 1
    assert "须≥3（通知一（一）1" in caught.value.messages[0]


def test_submission_without_a_first_review_body_is_refused(ready_draft, applicant, county_bureau):
    Organisation.objects.filter(pk=county_bureau.pk).update(is_active=False)
    with pytest.raises(ValidationError, match="没有找到本单位的资格初审单位"):
        submit(ready_draft, applicant)
    assert not ready_draft.versions.exists()


def test_another_units_applicant_may_not_submit(ready_draft, make_unit, make_applicant):
    with pytest.raises(PermissionDenied):
        submit(ready_draft, make_applicant(make_unit()))


def test_a_second_identical_submit_finds_the_state_changed(ready_draft, applicant):
    submit(ready_draft, applicant)
    with pytest.raises(ValidationError, match="状态已变化"):
        submit(ready_draft, applicant)
    assert ready_draft.versions.count() == 1
    assert AuditEntry.objects.filter(event="workflow:submit").count() == 1


def test_a_submitted_application_is_read_only(ready_draft, applicant):
    application = submit(ready_draft, applicant)
    with pytest.raises(ValidationError, match="不能修改"):
        save_section(
            application=application,
            section_key="unit_profile",
            data={"industry": "改"},
            user=applicant,
            expected_revision=application.revision,
        )


def test_withdraw_only_from_submitted(ready_draft, applicant):
    with pytest.raises(ValidationError, match="状态已变化"):
        fire_transition(application=ready_draft, name="withdraw", actor=applicant, at=IN_TIME)
    submit(ready_draft, applicant)
    application = fire_transition(application=ready_draft, name="withdraw", actor=applicant, at=IN_TIME)
    assert application.status == "withdrawn"
    with pytest.raises(ValidationError, match="已撤回"):
        fire_transition(application=application, name="withdraw", actor=applicant, at=IN_TIME)


def test_return_for_revision_by_the_county_reviewer(ready_draft, applicant, county_reviewer):
    submitted = submit(ready_draft, applicant)
    returned = return_for_revision(submitted, county_reviewer)
    assert returned.status == "returned"
    assert returned.resubmission_due == datetime.date(2022, 12, 15)
    comment = ReviewComment.objects.get(application=returned)
    assert (comment.text, comment.author, comment.transition) == (
        "请补充成员证书。",
        county_reviewer,
        "return_for_revision",
    )
    assert comment.author_organisation == county_reviewer.organisation


def test_return_needs_a_comment_and_a_due_date_not_in_the_past(ready_draft, applicant, county_reviewer):
    submitted = submit(ready_draft, applicant)
    with pytest.raises(ValidationError, match="须填写意见"):
        return_for_revision(submitted, county_reviewer, comment="  ")
    with pytest.raises(ValidationError, match="请填写补正截止日期"):
        return_for_revision(submitted, county_reviewer, payload={})
    with pytest.raises(ValidationError, match="不能早于今天"):
        return_for_revision(submitted, county_reviewer, payload={"resubmission_due": "2022-12-04"})
    # Today (Beijing) is allowed.
    assert return_for_revision(submitted, county_reviewer, payload={"resubmission_due": "2022-12-05"}).status == (
        "returned"
    )


def test_only_the_first_review_body_may_return(ready_draft, applicant, make_unit, make_applicant):
    submitted = submit(ready_draft, applicant)
    other_county = UserFactory(organisation=county_bureau_of("140521"), roles=[Role.COUNTY_REVIEWER])
    department = Organisation.objects.get(name="晋城市教育局")
    department_reviewer = UserFactory(organisation=department, roles=[Role.DEPARTMENT_REVIEWER])
    for outsider in (other_county, department_reviewer, applicant):
        with pytest.raises(PermissionDenied):
            return_for_revision(submitted, outsider)


def test_resubmission_is_allowed_up_to_and_including_the_due_day(ready_draft, applicant, county_reviewer):
    returned = return_for_revision(submit(ready_draft, applicant), county_reviewer)
    late = datetime.datetime(2022, 12, 16, 0, 0, tzinfo=IN_TIME.tzinfo)
    with pytest.raises(ValidationError, match=re.escape("补正材料的截止日期（2022年12月15日）已过")):
        fire_transition(application=returned, name="resubmit", actor=applicant, at=late)
    # The call deadline does not apply to a resubmission; the due day does.
    on_due_day = datetime.datetime(2022, 12, 15, 23, 59, 59, tzinfo=IN_TIME.tzinfo)
    resubmitted = fire_transition(application=returned, name="resubmit", actor=applicant, at=on_due_day)
    assert resubmitted.status == "submitted"
    assert resubmitted.resubmission_due is None


def test_the_checklist_of_a_fresh_draft_lists_what_is_missing(draft):
    checklist = get_submission_checklist(application=draft, at=IN_TIME)
    assert checklist["transition"] == "submit"
    assert checklist["is_open"] is True
    assert checklist["can_submit"] is False
    assert not any(section["complete"] for section in checklist["sections"])
    assert [rule["code"] for rule in checklist["failing_rules"]] == ["qualified-members"]
    assert {requirement.code for requirement in checklist["missing_materials"]} == {
        "member-certificates",
        "business-licence",
        "bank-account",
    }
    assert len(checklist["reasons"]) == len(checklist["sections"]) + 2


def test_the_checklist_of_a_ready_draft_allows_submission_until_the_deadline(ready_draft):
    assert get_submission_checklist(application=ready_draft, at=LAST_SECOND)["can_submit"] is True
    late = get_submission_checklist(application=ready_draft, at=TOO_LATE)
    assert late["can_submit"] is False
    assert late["reasons"] == ["本次申报已于2022年12月08日 23:59:59（北京时间）截止，不能再提交。"]


def test_the_checklist_of_a_submitted_application(ready_draft, applicant):
    checklist = get_submission_checklist(application=submit(ready_draft, applicant), at=IN_TIME)
    assert checklist["transition"] is None
    assert checklist["can_submit"] is False
