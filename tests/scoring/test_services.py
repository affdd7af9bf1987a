"""Score sheets through the services: bounds and step at their boundaries, drafts, submission locking the sheet,
reopening (chair / administrator, with a reason, audited, the expert told), reminders to late experts."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from shenbao.applications.models import Application
from shenbao.applications.workflow import ApplicationStatus
from shenbao.audit.models import AuditEntry
from shenbao.core.revisions import StaleRevisionError
from shenbao.experts.models import Assignment
from shenbao.notifications.models import Notification
from shenbao.scoring.models import PanelReminder, ScoreSheet, SheetReopening
from shenbao.scoring.services import (
    remind_late_experts,
    reopen_sheet,
    save_sheet_draft,
    submit_sheet,
)

from .builders import scores_for, submit

pytestmark = pytest.mark.django_db
D = Decimal


def save(assignment, scores, **kwargs):
    return save_sheet_draft(assignment=assignment, expert=assignment.expert, scores=scores, **kwargs)


def points(code, value, comment=""):
    return {code: {"points": value, "comment": comment}}


def refusal(assignment, code, value):
    with pytest.raises(ValidationError) as caught:
        save(assignment, points(code, value))
    return caught.value.message_dict[code]


def test_a_draft_keeps_partial_scores_and_sums_them(assignments):
    first = assignments[0]
    sheet = save(first, points("leaders-team", "18.5", "团队结构合理") | points("presentation", "12"))
    assert sheet.status == ScoreSheet.Status.DRAFT
    assert (sheet.total, sheet.material_total, sheet.defence_total) == (D("30.50"), D("18.50"), D("12.00"))
    assert sheet.revision == 1
    # Items not named keep their values; a blank clears one.
    sheet = save(first, points("presentation", ""), revision=1, overall_opinion="基础较好")
    assert (sheet.total, sheet.defence_total) == (D("18.50"), None)
    assert sheet.overall_opinion == "基础较好"
    assert sheet.entries.get(rubric_item__code="leaders-team").comment == "团队结构合理"


def test_points_at_and_beyond_each_bound(assignments):
    first = assignments[0]  # leaders-team: max 20, step 0.5 (call file)
    assert save(first, points("leaders-team", "20")).total == D("20.00")
    assert save(first, points("leaders-team", "0")).total == D("0.00")
    assert refusal(first, "leaders-team", "20.5") == ["「领办人及团队」的得分不能超过20分。"]
    assert refusal(first, "leaders-team", "-0.5") == ["「领办人及团队」的得分不能低于0分。"]
    assert refusal(first, "leaders-team", "19.75") == ["「领办人及团队」的得分须为0.5分的整数倍。"]
    assert refusal(first, "leaders-team", "十八") == ["「领办人及团队」的得分须为数字。"]
    assert refusal(first, "leaders-team", "NaN") == ["「领办人及团队」的得分须为数字。"]
    assert refusal(first, "advanced-facilities", "5.5") == ["「先进生产、科研设施设备」的得分不能超过5分。"]
    assert save(first, points("advanced-facilities", "4.5")).entries.get(rubric_item__code="advanced-facilities")


def test_whole_points_when_the_call_says_so(assignments, workstation_type):
    workstation_type.score_step = D("1")
    workstation_type.save(update_fields=["score_step"])
    first = assignments[0]
    assert refusal(first, "leaders-team", "18.5") == ["「领办人及团队」的得分须为整数。"]
    assert save(first, points("leaders-team", "18")).total == D("18.00")


def test_a_refused_value_changes_nothing(assignments):
    first = assignments[0]
    save(first, points("leaders-team", "10"))
    with pytest.raises(ValidationError):
        save(first, points("leaders-team", "15") | points("presentation", "16"))
    sheet = ScoreSheet.objects.get(assignment=first)
    assert sheet.total == D("10.00")
    assert sheet.revision == 1


def test_unknown_items_are_refused(assignments):
    with pytest.raises(ValidationError) as caught:
        save(assignments[0], points("bonus", "5"))
    assert caught.value.message_dict == {"bonus": ["评分表中没有“bonus”这一项。"]}


def test_a_stale_copy_does_not_overwrite(assignments):
    first = assignments[0]
    save(first, points("leaders-team", "10"), revision=0)
    with pytest.raises(StaleRevisionError):
        save(first, points("leaders-team", "12"), revision=0)
    assert ScoreSheet.objects.get(assignment=first).total == D("10.00")


def test_submission_needs_every_item_and_an_opinion(assignments, workstation_type):
    first = assignments[0]
    partial = {code: value for code, value in scores_for(workstation_type, material=60, defence=25).items()}
    partial.pop("presentation")
    with pytest.raises(ValidationError) as caught:
        submit_sheet(assignment=first, expert=first.expert, scores=partial, overall_opinion="同意")
    assert caught.value.message_dict == {"presentation": ["「陈述与答辩」尚未评分。"]}
    assert not ScoreSheet.objects.filter(assignment=first).exists()  # nothing kept from the refused submission
    with pytest.raises(ValidationError) as caught:
        submit_sheet(
            assignment=first, expert=first.expert, scores=scores_for(workstation_type, material=60, defence=25)
        )
    assert caught.value.message_dict == {"overall_opinion": ["请填写总体评价意见。"]}


def test_submission_locks_the_sheet_and_is_audited(assignments):
    first = assignments[0]
    sheet = submit(first, material=62, defence=26)
    assert sheet.status == ScoreSheet.Status.SUBMITTED
    assert sheet.submitted_at is not None
    assert (sheet.total, sheet.material_total, sheet.defence_total) == (D("88.00"), D("62.00"), D("26.00"))
    for attempt in (
        lambda: save(first, points("leaders-team", "1")),
        lambda: submit(first, material=10, defence=10),
    ):
        with pytest.raises(ValidationError) as caught:
            attempt()
        assert caught.value.code == "submitted"
    assert ScoreSheet.objects.get(pk=sheet.pk).total == D("88.00")
    (entry,) = AuditEntry.objects.filter(event="scoring:submit")
    assert entry.additional_data["total"] == "88.00"
    assert entry.actor == first.expert


def test_only_the_assigned_expert_writes(assignments, outsiders):
    first, second = assignments[:2]
    for intruder in (second.expert, outsiders["other_expert"], outsiders["applicant"]):
        with pytest.raises(PermissionDenied):
            save_sheet_draft(assignment=first, expert=intruder, scores=points("leaders-team", "10"))


def test_an_ended_assignment_or_a_moved_application_takes_no_scores(assignments):
    first, second = assignments[:2]
    Assignment.objects.filter(pk=first.pk).update(status=Assignment.Status.RECUSED, ended_at=timezone.now())
    with pytest.raises(ValidationError) as caught:
        save(first, points("leaders-team", "10"))
    assert caught.value.code == "assignment_ended"
    Application.objects.filter(pk=second.application_id).update(status=ApplicationStatus.SOLICITING)
    with pytest.raises(ValidationError) as caught:
        save(second, points("leaders-team", "10"))
    assert caught.value.code == "not_in_review"


# --- Reopening ------------------------------------------------------------------------------------------------


def test_the_chair_reopens_with_a_reason_audited_and_told(assignments, chair):
    second = assignments[1]
    sheet = submit(second, material=50, defence=20)
    with pytest.raises(ValidationError):
        reopen_sheet(sheet=sheet, actor=chair, reason="  ")
    reopened = reopen_sheet(sheet=sheet, actor=chair, reason="第3项得分与评语不一致，请核实。")
    assert reopened.status == ScoreSheet.Status.DRAFT
    assert reopened.submitted_at is None
    (record,) = SheetReopening.objects.filter(sheet=sheet)
    assert (record.reopened_by, record.previous_total) == (chair, D("70.00"))
    (entry,) = AuditEntry.objects.filter(event="scoring:reopen")
    assert entry.additional_data["reason"] == "第3项得分与评语不一致，请核实。"
    (message,) = Notification.objects.filter(recipient=second.expert, event="scoring:reopen")
    assert "第3项得分与评语不一致" in message.body
    assert str(second.public_id) in message.url
    # The expert can change and submit again.
    again = submit(second, material=52, defence=20)
    assert again.total == D("72.00")


def test_the_call_administrator_reopens_any_sheet_of_the_city(assignments, call_admin_user, other_city_admin):
    sheet = submit(assignments[0], material=50, defence=20)  # the chair's own sheet
    with pytest.raises(PermissionDenied):
        reopen_sheet(sheet=sheet, actor=other_city_admin, reason="核实")
    assert reopen_sheet(sheet=sheet, actor=call_admin_user, reason="核实").status == ScoreSheet.Status.DRAFT


def test_who_may_not_reopen(assignments, chair, outsiders, hr_reviewer):
    own = submit(assignments[0], material=50, defence=20)
    with pytest.raises(PermissionDenied):
        reopen_sheet(sheet=own, actor=chair, reason="我想改分")  # a chair never reopens their own sheet
    other = submit(assignments[1], material=50, defence=20)
    for actor in (assignments[2].expert, outsiders["other_expert"], hr_reviewer, outsiders["system_admin"]):
        with pytest.raises(PermissionDenied):
            reopen_sheet(sheet=other, actor=actor, reason="核实")
    assert not SheetReopening.objects.exists()


def test_reopening_needs_a_submitted_sheet_of_an_application_still_in_review(assignments, chair):
    draft = save(assignments[1], points("leaders-team", "10"))
    # The sheet's workflow refuses the step (its source is 已提交) and every guard gives its reason.
    with pytest.raises(ValidationError) as caught:
        reopen_sheet(sheet=draft, actor=chair, reason="核实")
    assert caught.value.code == "state_changed"
    sheet = submit(assignments[2], material=50, defence=20)
    Application.objects.filter(pk=sheet.assignment.application_id).update(status=ApplicationStatus.SOLICITING)
    with pytest.raises(ValidationError) as caught:
        reopen_sheet(sheet=sheet, actor=chair, reason="核实")
    assert caught.value.messages == ["该申报已不在专家评审阶段，评分表不能再重新打开。"]
    assert ScoreSheet.objects.get(pk=sheet.pk).status == ScoreSheet.Status.SUBMITTED


# --- Reminders ------------------------------------------------------------------------------------------------


def test_reminding_tells_only_the_late_experts(assignments, panel, call_admin_user, make_waiting):
    from .builders import assign

    submit(assignments[0], material=50, defence=20)
    save(assignments[1], points("leaders-team", "10"))  # a draft is still late
    second_application = make_waiting(name="晋城市第二家机械有限公司")
    assign(panel, second_application, [assignments[1].expert])
    reminder = remind_late_experts(panel=panel, actor=call_admin_user)
    assert (reminder.expert_count, reminder.sheet_count) == (4, 5)
    reminded = Notification.objects.filter(event="scoring:remind")
    assert {message.recipient for message in reminded} == {item.expert for item in assignments[1:]}
    two = reminded.get(recipient=assignments[1].expert)
    assert "尚有2份评分表未提交" in two.body
    assert AuditEntry.objects.filter(event="scoring:remind").count() == 1


def test_reminders_are_for_the_administrator_and_not_twice_in_a_row(assignments, panel, chair, call_admin_user):
    with pytest.raises(PermissionDenied):
        remind_late_experts(panel=panel, actor=chair)
    at = timezone.now()
    remind_late_experts(panel=panel, actor=call_admin_user, at=at)
    with pytest.raises(ValidationError) as caught:
        remind_late_experts(panel=panel, actor=call_admin_user, at=at + datetime.timedelta(minutes=9))
    assert caught.value.code == "reminded_recently"
    remind_late_experts(panel=panel, actor=call_admin_user, at=at + datetime.timedelta(minutes=11))
    assert PanelReminder.objects.filter(panel=panel).count() == 2


def test_nobody_late_nobody_reminded(assignments, panel, call_admin_user):
    for assignment in assignments:
        submit(assignment, material=50, defence=20)
    with pytest.raises(ValidationError) as caught:
        remind_late_experts(panel=panel, actor=call_admin_user)
    assert caught.value.code == "nothing_late"
    assert not Notification.objects.filter(event="scoring:remind").exists()
