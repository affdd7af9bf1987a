"""评估验收 services: when a unit may apply, its self-evaluation, the experts (of the city, never of the unit),
their sheets (bounded by each item, the call's step; submitting locks) and the conditions of the result."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shenbao.acceptance import evaluations, results, selectors
from shenbao.acceptance.evidence import upload_evidence
from shenbao.acceptance.models import AcceptanceEvaluation, ExpertReview, ReviewScore
from shenbao.acceptance.reviews import assign_experts, remove_expert, save_review, submit_review
from shenbao.acceptance.services import review_report
from shenbao.accounts.roles import Role
from shenbao.audit.models import AuditEntry
from shenbao.experts.models import ExpertRelation
from shenbao.experts.services import declare_relation, set_expert_active
from shenbao.notifications.models import Notification
from tests.factories import UserFactory

from .builders import (
    AFTER_DECISION,
    AFTER_PERIOD,
    BEIJING,
    DECIDED_ON,
    accept_all_reports,
    apply_for_acceptance,
    file_report,
    full_marks,
    pdf_upload,
    rubric,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def station(make_designated):
    return make_designated()


@pytest.fixture
def applied(station, call_admin_user):
    application, user = station
    accept_all_reports(application, user, call_admin_user)
    return apply_for_acceptance(application, user)


def test_acceptance_opens_when_the_period_has_ended_and_every_report_is_accepted(station, call_admin_user):
    application, user = station
    day_before_end = datetime.datetime(2024, 12, 30, 12, 0, tzinfo=BEIJING)
    reasons, _round = evaluations.acceptance_blockers(application=application, at=day_before_end)
    assert reasons == [
        "建设期至2024年12月31日届满，届满后方可申请评估验收。",
        "2023年度建设进展报告尚未审核通过。",
        "2024年度建设进展报告尚未审核通过。",
    ]
    submitted_2023 = file_report(application, user, 2023)  # submitted, not accepted yet
    review_report(report=file_report(application, user, 2024), user=call_admin_user, decision="accept")
    with pytest.raises(ValidationError, match="2023年度建设进展报告尚未审核通过"):
        evaluations.start_evaluation(application=application, user=user, at=AFTER_PERIOD)
    review_report(report=submitted_2023, user=call_admin_user, decision="accept")
    last_day = datetime.datetime(2024, 12, 31, 9, 0, tzinfo=BEIJING)
    assert evaluations.acceptance_blockers(application=application, at=last_day) == ([], 1)
    assert evaluations.start_evaluation(application=application, user=user, at=last_day).round == 1


def test_the_self_evaluation_is_bounded_by_each_item_and_the_calls_step(station, call_admin_user):
    application, user = station
    accept_all_reports(application, user, call_admin_user)
    evaluation = evaluations.start_evaluation(application=application, user=user, at=AFTER_PERIOD)
    management = rubric(application)[0]
    for value, message in (("15.5", "须在0至15分之间"), ("-1", "须在0至15分之间"), ("12.3", "须为0.5分的整数倍")):
        with pytest.raises(ValidationError, match=message):
            evaluations.save_self_evaluation(
                evaluation=evaluation,
                user=user,
                summary="",
                scores={management.pk: value},
                expected_revision=evaluation.revision,
            )
    saved = evaluations.save_self_evaluation(
        evaluation=evaluation, user=user, summary="", scores={management.pk: "14.5"}, expected_revision=0
    )
    assert saved.self_total == Decimal("14.50")
    with pytest.raises(ValidationError) as caught:
        evaluations.submit_evaluation(evaluation=saved, user=user, at=AFTER_PERIOD)
    assert "请为“人才培养与师带徒成效”自评打分。" in caught.value.messages
    assert "请填写自评报告。" in caught.value.messages
    assert "请上传至少一份佐证材料。" in caught.value.messages


def test_applying_locks_the_self_evaluation_and_tells_the_city(applied, station, call_admin_user):
    application, user = station
    assert applied.status == AcceptanceEvaluation.Status.SUBMITTED and applied.self_total == Decimal("100.00")
    with pytest.raises(PermissionDenied):
        evaluations.save_self_evaluation(
            evaluation=applied, user=user, summary="改", scores={}, expected_revision=applied.revision
        )
    with pytest.raises(ValidationError, match="请勿重复提交"):
        evaluations.submit_evaluation(evaluation=applied, user=user)
    assert Notification.objects.filter(event="acceptance:submit_evaluation", recipient=call_admin_user).exists()
    with pytest.raises(ValidationError, match="已有进行中的评估验收"):
        evaluations.start_evaluation(application=application, user=user, at=AFTER_PERIOD)
    assert AcceptanceEvaluation.objects.count() == 1


def test_experts_are_of_the_city_and_never_of_the_unit(
    applied, station, make_expert, call_admin_user, other_city_admin
):
    application, _user = station
    own_expert = make_expert(organisation=application.unit)
    elsewhere = make_expert(organisation=other_city_admin.organisation, admin=other_city_admin)
    not_an_expert = UserFactory(organisation=call_admin_user.organisation, roles=[Role.CITY_REVIEWER])
    for candidate in (own_expert, elsewhere, not_an_expert):
        with pytest.raises(ValidationError, match="不能担任该单位的验收专家"):
            assign_experts(evaluation=applied, experts=[candidate], actor=call_admin_user)
    expert = make_expert()
    [review] = assign_experts(evaluation=applied, experts=[expert], actor=call_admin_user)
    with pytest.raises(ValidationError, match="未重复指派"):
        assign_experts(evaluation=applied, experts=[expert], actor=call_admin_user)
    told = Notification.objects.get(event="acceptance:assign_expert")
    assert told.recipient == expert and told.url.endswith(f"/acceptance/reviews/{review.public_id}/")
    assert AuditEntry.objects.filter(event="acceptance:assign_experts").count() == 1


def _eligible(evaluation):
    return set(selectors.list_eligible_experts(evaluation=evaluation))


def test_an_expert_outside_the_pool_is_never_assigned(applied, make_expert, call_admin_user):
    """Only active ExpertProfiles (在库): the role alone, or a profile taken out of the pool, is not enough."""
    role_only = make_expert(in_pool=False)
    withdrawn = make_expert()
    set_expert_active(profile=withdrawn.expert_profile, actor=call_admin_user, active=False)
    in_pool = make_expert()

    assert _eligible(applied) == {in_pool}
    for candidate in (role_only, withdrawn):
        with pytest.raises(ValidationError, match="专家库在库专家"):
            assign_experts(evaluation=applied, experts=[candidate], actor=call_admin_user)
    set_expert_active(profile=withdrawn.expert_profile, actor=call_admin_user, active=True)
    assert _eligible(applied) == {in_pool, withdrawn}


def test_an_expert_with_a_declared_relation_with_the_unit_is_never_assigned(
    applied, station, make_expert, call_admin_user
):
    application, _user = station
    related, unrelated = make_expert(), make_expert()
    declare_relation(
        profile=related.expert_profile,
        actor=call_admin_user,
        organisation_name=application.unit.name,
        kind=ExpertRelation.Kind.ADVISORY,
    )

    assert _eligible(applied) == {unrelated}
    with pytest.raises(ValidationError, match="存在利害关系"):
        assign_experts(evaluation=applied, experts=[related, unrelated], actor=call_admin_user)
    assert not ExpertReview.objects.filter(evaluation=applied).exists()  # nothing half-assigned
    assign_experts(evaluation=applied, experts=[unrelated], actor=call_admin_user)


def test_an_expert_of_the_unit_itself_is_not_offered(applied, station, make_expert):
    application, _user = station
    own, other = make_expert(organisation=application.unit), make_expert()
    assert _eligible(applied) == {other}
    assert own.expert_profile.work_unit == application.unit


def test_only_the_citys_administrator_assigns(applied, make_expert, other_city_admin, hr_reviewer, station):
    _application, user = station
    for actor in (other_city_admin, hr_reviewer, user):
        with pytest.raises(PermissionDenied):
            assign_experts(evaluation=applied, experts=[make_expert()], actor=actor)


def test_an_experts_sheet_is_bounded_and_submitting_locks_it(applied, station, make_expert, call_admin_user):
    application, _user = station
    expert, colleague = make_expert(), make_expert()
    review, other = assign_experts(evaluation=applied, experts=[expert, colleague], actor=call_admin_user)
    scores = full_marks(application)
    first_item = rubric(application)[0]
    with pytest.raises(ValidationError, match="须在0至15分之间"):
        submit_review(review=review, user=expert, scores={**scores, first_item.pk: "16"}, opinion="")
    with pytest.raises(ValidationError, match="请为“组织管理与制度建设”打分"):
        submit_review(review=review, user=expert, scores={**scores, first_item.pk: ""}, opinion="")
    with pytest.raises(PermissionDenied):
        submit_review(review=review, user=colleague, scores=scores, opinion="")
    done = submit_review(review=review, user=expert, scores=scores, opinion="同意。")
    assert done.total == Decimal("100.00") and done.submitted_at is not None
    with pytest.raises(ValidationError, match="已提交"):
        submit_review(review=review, user=expert, scores=scores, opinion="再交一次")
    with pytest.raises(PermissionDenied):
        save_review(review=review, user=expert, scores=scores, opinion="改", expected_revision=done.revision)
    assert ReviewScore.objects.filter(review=review).count() == len(scores)
    assert not ReviewScore.objects.filter(review=other).exists()


def test_a_draft_sheet_may_be_partial(applied, station, make_expert, call_admin_user):
    application, _user = station
    expert = make_expert()
    [review] = assign_experts(evaluation=applied, experts=[expert], actor=call_admin_user)
    item = rubric(application)[1]
    saved = save_review(review=review, user=expert, scores={item.pk: "20.5"}, opinion="", expected_revision=0)
    assert saved.submitted_at is None
    assert ReviewScore.objects.get(review=review).points == Decimal("20.50")


def test_an_unsubmitted_assignment_is_withdrawn_with_a_reason(applied, make_expert, call_admin_user, station):
    application, _user = station
    expert, other = make_expert(), make_expert()
    review, submitted = assign_experts(evaluation=applied, experts=[expert, other], actor=call_admin_user)
    submit_review(review=submitted, user=other, scores=full_marks(application), opinion="")
    with pytest.raises(ValidationError, match="请填写撤回指派的理由"):
        remove_expert(review=review, actor=call_admin_user, reason=" ")
    with pytest.raises(ValidationError, match="已提交评分"):
        remove_expert(review=submitted, actor=call_admin_user, reason="时间冲突")
    remove_expert(review=review, actor=call_admin_user, reason="出差无法评分")
    assert ExpertReview.objects.get(pk=review.pk).removed_at is not None
    with pytest.raises(PermissionDenied):
        submit_review(review=review, user=expert, scores=full_marks(application), opinion="")
    # Re-assigning the same expert later is allowed (a new sheet).
    [again] = assign_experts(evaluation=applied, experts=[expert], actor=call_admin_user)
    assert again.pk != review.pk


def test_the_result_needs_every_sheet_and_the_calls_number_of_experts(applied, station, experts, call_admin_user):
    application, _user = station
    reviews = assign_experts(evaluation=applied, experts=experts[:4], actor=call_admin_user)
    for review in reviews[:3]:
        submit_review(review=review, user=review.expert, scores=full_marks(application), opinion="")

    def decide(**kwargs):
        values = {"decided_on": DECIDED_ON, "conclusion": "合格。", "at": AFTER_DECISION, **kwargs}
        return results.decide_evaluation(evaluation=applied, actor=call_admin_user, **values)

    with pytest.raises(ValidationError, match="还有1名专家未提交评分"):
        decide()
    submit_review(review=reviews[3], user=reviews[3].expert, scores=full_marks(application), opinion="")
    with pytest.raises(ValidationError, match="不少于5名"):
        decide()
    [fifth] = assign_experts(evaluation=applied, experts=[experts[4]], actor=call_admin_user)
    submit_review(review=fifth, user=fifth.expert, scores=full_marks(application), opinion="")
    with pytest.raises(ValidationError, match="请填写验收结论意见"):
        decide(conclusion="")
    with pytest.raises(ValidationError, match="结论日期不能晚于今天"):
        decide(decided_on=datetime.date(2025, 3, 21))
    decided = decide()
    assert decided.band == "excellent"
    with pytest.raises(ValidationError, match="状态已变化"):
        decide()


def test_only_the_citys_administrator_decides(applied, station, experts, call_admin_user, other_city_admin):
    application, user = station
    for review in assign_experts(evaluation=applied, experts=experts, actor=call_admin_user):
        submit_review(review=review, user=review.expert, scores=full_marks(application), opinion="")
    for actor in (other_city_admin, user, experts[0]):
        with pytest.raises(PermissionDenied):
            results.decide_evaluation(
                evaluation=applied, actor=actor, decided_on=DECIDED_ON, conclusion="合格。", at=AFTER_DECISION
            )
    assert AcceptanceEvaluation.objects.get(pk=applied.pk).status == "submitted"


def test_evidence_of_the_self_evaluation_is_refused_after_applying(applied, station):
    _application, user = station
    with pytest.raises(PermissionDenied):
        upload_evidence(owner=applied, uploaded_file=pdf_upload(), user=user)
