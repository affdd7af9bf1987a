"""资格初审 and 资格复核 services: the checklist guard, decision records, batches, the re-check rule."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shenbao.applications.models import ReviewComment
from shenbao.applications.services import fire_transition
from shenbao.calls.models import Call
from shenbao.review.models import FirstReviewRecord, RecheckDecision
from shenbao.review.services import (
    batch_first_review,
    decide_first_review,
    record_recheck_decision,
    save_first_review_checklist,
)

from .builders import AFTER, DUE, all_met, pass_first_review, pass_recheck, upload_seal


def judged(application, **overrides):
    items = all_met(application)
    for code, judgement in overrides.items():
        items[code.replace("_", "-")] = {"judgement": judgement, "note": "见材料"}
    return items


def test_a_pass_records_the_checklist_with_the_systems_result(submitted, county_reviewer, county_bureau):
    upload_seal(submitted, county_reviewer)
    items = judged(submitted, talent_systems="met")
    items["talent-systems"]["note"] = "制度齐全"
    application = decide_first_review(
        application=submitted, user=county_reviewer, decision="pass", items=items, recommendation="同意推荐。", at=AFTER
    )
    assert application.status == "recheck"
    record = FirstReviewRecord.objects.get()
    assert (record.decision, record.version_sequence, record.organisation, record.reviewer) == (
        "pass",
        1,
        county_bureau,
        county_reviewer,
    )
    assert record.recommendation == "同意推荐。"
    rows = {row["code"]: row for row in record.checklist}
    assert rows["qualified-members"]["auto_passed"] is True and rows["qualified-members"]["auto_value"] == 3
    assert rows["talent-systems"] == {**rows["talent-systems"], "judgement": "met", "note": "制度齐全"}
    assert rows["talent-systems"]["auto_passed"] is None  # qualitative: judged by the reviewer only
    assert rows["base-level"]["applies"] is False and rows["base-level"]["judgement"] == ""  # 企业: not applicable


def test_every_applicable_rule_must_be_judged(submitted, county_reviewer):
    upload_seal(submitted, county_reviewer)
    items = all_met(submitted)
    del items["advanced-facilities"]
    with pytest.raises(ValidationError) as caught:
        decide_first_review(
            application=submitted, user=county_reviewer, decision="pass", items=items, recommendation="同意。", at=AFTER
        )
    assert caught.value.messages == [
        "核查表未完成：请判断「一（一）5 具有本行业（领域）较为先进的生产、科研设施设备。」是否符合。"
    ]
    assert not FirstReviewRecord.objects.exists()


def test_a_rule_that_does_not_apply_needs_no_judgement(submitted, county_reviewer):
    upload_seal(submitted, county_reviewer)
    items = all_met(submitted)
    del items["base-level"]
    application = decide_first_review(
        application=submitted, user=county_reviewer, decision="pass", items=items, recommendation="同意。", at=AFTER
    )
    assert application.status == "recheck"


def test_a_hard_rule_judged_not_met_makes_a_pass_impossible(submitted, county_reviewer):
    upload_seal(submitted, county_reviewer)
    with pytest.raises(ValidationError) as caught:
        decide_first_review(
            application=submitted,
            user=county_reviewer,
            decision="pass",
            items=judged(submitted, qualified_members="not_met"),
            recommendation="同意。",
            at=AFTER,
        )
    assert len(caught.value.messages) == 1
    assert caught.value.messages[0].startswith("硬性条件「一（一）1 单位相应技能岗位有3名以上技师")
    assert "不能通过初审" in caught.value.messages[0]


def test_a_qualitative_rule_judged_not_met_does_not_block_the_reviewer(submitted, county_reviewer):
    upload_seal(submitted, county_reviewer)
    application = decide_first_review(
        application=submitted,
        user=county_reviewer,
        decision="pass",
        items=judged(submitted, cooperation="not_met"),
        recommendation="合作基础一般，同意推荐。",
        at=AFTER,
    )
    assert application.status == "recheck"


def test_a_pass_needs_a_recommendation(submitted, county_reviewer):
    upload_seal(submitted, county_reviewer)
    with pytest.raises(ValidationError) as caught:
        decide_first_review(
            application=submitted, user=county_reviewer, decision="pass", items=all_met(submitted), at=AFTER
        )
    assert caught.value.messages == ["请填写推荐意见。"]


def test_a_return_is_recorded_and_the_reason_reaches_the_applicant(submitted, county_reviewer):
    application = decide_first_review(
        application=submitted,
        user=county_reviewer,
        decision="return",
        items=judged(submitted, qualified_members="not_met"),
        comment="请补充技师证书。",
        resubmission_due=DUE,
        at=AFTER,
    )
    assert application.status == "returned"
    assert str(application.resubmission_due) == DUE
    record = FirstReviewRecord.objects.get()
    assert (record.decision, record.comment, str(record.resubmission_due)) == ("return", "请补充技师证书。", DUE)
    assert ReviewComment.objects.get().text == "请补充技师证书。"


def test_a_return_needs_a_due_date_not_in_the_past(submitted, county_reviewer):
    with pytest.raises(ValidationError) as caught:
        decide_first_review(
            application=submitted,
            user=county_reviewer,
            decision="return",
            comment="请补充。",
            resubmission_due="2022-12-05",
            at=AFTER,
        )
    assert caught.value.messages == ["补正截止日期不能早于今天（2022年12月6日）。"]
    assert not FirstReviewRecord.objects.exists()


def test_a_reject_needs_a_reason(submitted, county_reviewer):
    with pytest.raises(ValidationError):
        decide_first_review(application=submitted, user=county_reviewer, decision="reject", comment=" ", at=AFTER)
    application = decide_first_review(
        application=submitted, user=county_reviewer, decision="reject", comment="不属于申报单位类型。", at=AFTER
    )
    assert application.status == "rejected"
    assert FirstReviewRecord.objects.get().decision == "reject"


def test_another_countys_reviewer_can_neither_decide_nor_save(submitted, zezhou_reviewer):
    with pytest.raises(PermissionDenied):
        save_first_review_checklist(application=submitted, user=zezhou_reviewer, items=all_met(submitted))
    with pytest.raises(PermissionDenied):
        decide_first_review(application=submitted, user=zezhou_reviewer, decision="reject", comment="x", at=AFTER)


def test_a_resubmitted_version_gets_a_fresh_checklist(submitted, county_reviewer, applicant):
    save_first_review_checklist(application=submitted, user=county_reviewer, items=all_met(submitted))
    returned = decide_first_review(
        application=submitted, user=county_reviewer, decision="return", comment="补充。", resubmission_due=DUE, at=AFTER
    )
    resubmitted = fire_transition(application=returned, name="resubmit", actor=applicant, at=AFTER)
    results = batch_first_review(
        applications=[resubmitted], user=county_reviewer, decision="pass", recommendation="同意。", at=AFTER
    )
    assert results[0]["ok"] is False
    assert results[0]["messages"][0].startswith("核查表未完成")


# --- batches ---------------------------------------------------------------------------------------------------


def test_batch_pass_uses_each_saved_checklist_and_reports_per_item(make_submitted, county_reviewer):
    complete, incomplete, hard_failed = (make_submitted() for _ in range(3))
    for application in (complete, incomplete, hard_failed):
        upload_seal(application, county_reviewer)
    save_first_review_checklist(application=complete, user=county_reviewer, items=all_met(complete))
    save_first_review_checklist(
        application=hard_failed, user=county_reviewer, items=judged(hard_failed, qualified_members="not_met")
    )
    results = batch_first_review(
        applications=[complete, incomplete, hard_failed],
        user=county_reviewer,
        decision="pass",
        recommendation="经初审，同意推荐。",
        at=AFTER,
    )
    assert [result["ok"] for result in results] == [True, False, False]
    assert results[0]["application"].status == "recheck"
    assert results[1]["messages"][0].startswith("核查表未完成：请判断「一（一）1")
    assert "硬性条件" in results[2]["messages"][0]
    record = FirstReviewRecord.objects.get()
    assert (record.application, record.recommendation) == (complete, "经初审，同意推荐。")
    assert {application.status for application in (incomplete, hard_failed)} == {"submitted"}


def test_batch_return_returns_each_with_the_common_reason(make_submitted, county_reviewer, zezhou_reviewer):
    first, second = make_submitted(), make_submitted()
    results = batch_first_review(
        applications=[first, second],
        user=county_reviewer,
        decision="return",
        comment="请补充银行开户许可证。",
        resubmission_due=DUE,
        at=AFTER,
    )
    assert all(result["ok"] for result in results)
    assert list(ReviewComment.objects.values_list("text", flat=True)) == ["请补充银行开户许可证。"] * 2
    # a second batch on the same items: each refused on its own, nothing else happens
    again = batch_first_review(
        applications=[first, second],
        user=county_reviewer,
        decision="return",
        comment="再次退回。",
        resubmission_due=DUE,
        at=AFTER,
    )
    assert [result["ok"] for result in again] == [False, False]
    assert "状态已变化" in again[0]["messages"][0]
    refused = batch_first_review(
        applications=[make_submitted()],
        user=zezhou_reviewer,
        decision="return",
        comment="x",
        resubmission_due=DUE,
        at=AFTER,
    )
    assert refused[0]["ok"] is False and "无权" in refused[0]["messages"][0]


# --- 资格复核 ------------------------------------------------------------------------------------------------------


def test_both_bodies_must_pass_when_the_call_requires_all(in_recheck, hr_reviewer, org_reviewer):
    application = record_recheck_decision(
        application=in_recheck, user=hr_reviewer, decision="pass", comment="", at=AFTER
    )
    assert application.status == "recheck"
    application = record_recheck_decision(
        application=application, user=org_reviewer, decision="pass", comment="同意。", at=AFTER
    )
    assert application.status == "expert_review"
    assert RecheckDecision.objects.filter(round=1).count() == 2


def test_any_body_passes_when_the_call_says_so(in_recheck, org_reviewer, call):
    Call.objects.filter(pk=call.pk).update(recheck_requires_all=False)
    application = record_recheck_decision(
        application=in_recheck, user=org_reviewer, decision="pass", comment="", at=AFTER
    )
    assert application.status == "expert_review"


def test_the_guard_names_the_body_still_to_pass(in_recheck, hr_reviewer):
    record_recheck_decision(application=in_recheck, user=hr_reviewer, decision="pass", comment="", at=AFTER)
    with pytest.raises(ValidationError) as caught:
        fire_transition(application=in_recheck, name="recheck_pass", actor=hr_reviewer, at=AFTER)
    assert caught.value.messages == ["尚待市委组织部资格复核通过。"]


def test_a_body_decides_once_per_round(in_recheck, hr_reviewer, reference):
    from tests.factories import UserFactory

    record_recheck_decision(application=in_recheck, user=hr_reviewer, decision="pass", comment="", at=AFTER)
    colleague = UserFactory(organisation=hr_reviewer.organisation, roles=hr_reviewer.roles)
    with pytest.raises(ValidationError) as caught:
        record_recheck_decision(application=in_recheck, user=colleague, decision="reject", comment="不同意", at=AFTER)
    assert caught.value.messages == ["本单位已对该申报作出复核决定，不能重复提交。"]
    assert RecheckDecision.objects.count() == 1


def test_a_return_fires_at_once_and_a_resubmission_starts_a_new_round(
    in_recheck, hr_reviewer, org_reviewer, applicant, county_reviewer
):
    record_recheck_decision(application=in_recheck, user=hr_reviewer, decision="pass", comment="", at=AFTER)
    application = record_recheck_decision(
        application=in_recheck,
        user=org_reviewer,
        decision="return",
        comment="请补充合作协议。",
        resubmission_due=DUE,
        at=AFTER,
    )
    assert application.status == "returned"
    assert ReviewComment.objects.filter(transition="recheck_return").get().text == "请补充合作协议。"
    application = fire_transition(application=application, name="resubmit", actor=applicant, at=AFTER)
    application = pass_first_review(application, county_reviewer)
    application = record_recheck_decision(application=application, user=hr_reviewer, decision="pass", comment="")
    assert application.status == "recheck"  # the first round's pass of 市人社局 does not count for round 2
    application = pass_recheck(application, org_reviewer)
    assert application.status == "expert_review"
    assert list(RecheckDecision.objects.order_by("round", "pk").values_list("round", "decision")) == [
        (1, "pass"),
        (1, "return"),
        (2, "pass"),
        (2, "pass"),
    ]


def test_a_reject_fires_at_once_and_needs_a_comment(in_recheck, org_reviewer):
    with pytest.raises(ValidationError):
        record_recheck_decision(application=in_recheck, user=org_reviewer, decision="reject", comment="", at=AFTER)
    application = record_recheck_decision(
        application=in_recheck, user=org_reviewer, decision="reject", comment="材料不实。", at=AFTER
    )
    assert application.status == "rejected"


def test_only_the_calls_recheck_bodies_decide(in_recheck, county_reviewer, call_admin_user):
    for user in (county_reviewer, call_admin_user):
        with pytest.raises(PermissionDenied):
            record_recheck_decision(application=in_recheck, user=user, decision="pass", comment="", at=AFTER)
    assert not RecheckDecision.objects.exists()


def test_a_decision_after_the_application_left_recheck_is_refused(in_recheck, org_reviewer, hr_reviewer):
    record_recheck_decision(application=in_recheck, user=org_reviewer, decision="reject", comment="不符合。", at=AFTER)
    with pytest.raises(ValidationError) as caught:
        record_recheck_decision(application=in_recheck, user=hr_reviewer, decision="pass", comment="", at=AFTER)
    assert "状态已变化" in caught.value.messages[0]
