"""评估验收 end to end through the services: a pass makes the 60% due; a failure opens the rectification period and
one re-evaluation; a second failure revokes the designation (workflow state, public pages, funding ledger)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_fsm_log.models import StateLog

from shenbao.acceptance import evaluations, results, services
from shenbao.acceptance.models import AcceptanceEvaluation, ItemResult, Rectification
from shenbao.acceptance.selectors import get_acceptance_outcome
from shenbao.applications.models import ReviewComment
from shenbao.applications.services import fire_transition
from shenbao.audit.models import AuditEntry
from shenbao.awards.models import Plaque
from shenbao.funding.models import FundingRecord
from shenbao.notifications.models import Notification
from tests.opinions.builders import reload

from .builders import (
    DECIDED_ON,
    accept_all_reports,
    apply_for_acceptance,
    full_marks,
    pdf_upload,
    reload_evaluation,
    score_and_decide,
    scores_with_total,
)

pytestmark = pytest.mark.django_db

FAILING = 55  # a total below 60


def instalments(application):
    record = FundingRecord.objects.get(application=application)
    return record, {item.code: item for item in record.instalments.all()}


@pytest.fixture
def applied(designated, unit_applicant, call_admin_user):
    accept_all_reports(designated, unit_applicant, call_admin_user)
    return apply_for_acceptance(designated, unit_applicant)


def test_a_pass_makes_the_60_percent_due_on_the_decision_date(applied, designated, experts, call_admin_user):
    _record, before = instalments(designated)
    assert before["startup"].due_on is not None  # 40% due at designation
    assert before["startup"].amount == Decimal("120000.00")
    assert before["final"].due_on is None and before["final"].amount == Decimal("180000.00")

    evaluation = score_and_decide(applied, experts, call_admin_user, scores_with_total(designated, "92.5"))

    assert evaluation.band == AcceptanceEvaluation.Band.EXCELLENT
    assert evaluation.total == Decimal("92.50")
    record, after = instalments(designated)
    assert after["final"].due_on == DECIDED_ON
    assert not record.is_revoked
    assert reload(designated).status == "awarded"
    assert get_acceptance_outcome(application=designated) == "excellent"
    assert AuditEntry.objects.filter(event="acceptance:decide").count() == 1
    assert Notification.objects.filter(event="acceptance:decide", recipient__organisation=designated.unit).exists()


def test_the_result_is_aggregated_per_item_and_in_total_with_the_calls_method(
    applied, designated, experts, call_admin_user
):
    items = list(full_marks(designated))
    # Five experts (trimmed mean: the highest and the lowest total are dropped); the cuts fall on the 25-point items.
    totals = ["95", "92", "90", "88", "70"]
    sheets = [scores_with_total(designated, total) for total in totals]
    evaluation = score_and_decide(applied, experts, call_admin_user, sheets)

    assert evaluation.total == Decimal("90.00")  # mean of 92, 90, 88
    assert evaluation.band == AcceptanceEvaluation.Band.EXCELLENT
    results = {
        result.rubric_item.code: result
        for result in ItemResult.objects.filter(evaluation=evaluation).select_related("rubric_item")
    }
    assert set(result.rubric_item_id for result in results.values()) == set(items)
    # 人才培养 (25): 20, 17, 15, 13, 0 → 17, 15, 13 → 15.00, exactly 60% of its points: not below.
    assert results["talent-development"].points == Decimal("15.00")
    assert not results["talent-development"].below_minimum
    # 技术攻关 (25): 25, 25, 25, 25, 20 → 25.00
    assert results["innovation"].points == Decimal("25.00")


def test_a_main_item_below_60_percent_fails_a_high_total_through_the_decision(
    applied, designated, make_expert, call_admin_user, call, workstation_type
):
    """A 15-point item aggregated to 8.85 (59%): four experts, mean, step 0.1 (call parameters of this test)."""
    call.acceptance_experts_per_application = 4
    call.save(update_fields=["acceptance_experts_per_application"])
    workstation_type.score_step = Decimal("0.1")
    workstation_type.save(update_fields=["score_step"])
    management = next(item for item in evaluations.acceptance_rubric(workstation_type) if item.code == "management")
    assert management.max_points == Decimal("15")
    sheets = []
    for points in ("8.8", "8.9", "8.8", "8.9"):
        sheet = full_marks(designated)
        sheet[management.pk] = Decimal(points)
        sheets.append(sheet)
    evaluation = score_and_decide(applied, [make_expert() for _ in range(4)], call_admin_user, sheets)

    assert evaluation.total == Decimal("93.85")
    assert evaluation.band == AcceptanceEvaluation.Band.FAILED
    result = ItemResult.objects.get(evaluation=evaluation, rubric_item=management)
    assert result.points == Decimal("8.85") and result.below_minimum
    assert Rectification.objects.get(evaluation=evaluation).due_on == datetime.date(2025, 6, 20)


def _fail_first_round(applied, designated, experts, call_admin_user):
    evaluation = score_and_decide(
        applied, experts, call_admin_user, scores_with_total(designated, FAILING), conclusion="师带徒成效不足。"
    )
    assert evaluation.band == AcceptanceEvaluation.Band.FAILED
    return evaluation


def test_a_first_failure_opens_rectification_for_the_calls_months_and_one_re_evaluation(
    applied, designated, unit_applicant, experts, call_admin_user
):
    first = _fail_first_round(applied, designated, experts, call_admin_user)
    rectification = Rectification.objects.get(evaluation=first)
    assert rectification.due_on == datetime.date(2025, 6, 20)  # DECIDED_ON + rectification_months (3)
    assert reload(designated).status == "awarded"
    _record, due = instalments(designated)
    assert due["final"].due_on is None and due["final"].cancelled_at is None

    with pytest.raises(ValidationError, match="请先提交整改报告"):
        evaluations.start_evaluation(
            application=designated, user=unit_applicant, at=datetime.datetime.now().astimezone()
        )
    _submit_rectification(rectification, unit_applicant)
    second = apply_for_acceptance(designated, unit_applicant, at=_in_rectification())
    assert second.round == 2


def _in_rectification():
    return datetime.datetime(2025, 5, 5, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


def _submit_rectification(rectification, user):
    rectification = services.save_rectification(
        rectification=rectification, user=user, report="已补齐师带徒台账。", expected_revision=rectification.revision
    )
    from shenbao.acceptance.evidence import upload_evidence

    upload_evidence(owner=rectification, uploaded_file=pdf_upload("整改佐证.pdf"), user=user)
    return services.submit_rectification(rectification=rectification, user=user, at=_in_rectification())


@pytest.fixture
def revoked(applied, designated, unit_applicant, make_expert, experts, call_admin_user):
    first = _fail_first_round(applied, designated, experts, call_admin_user)
    _submit_rectification(Rectification.objects.get(evaluation=first), unit_applicant)
    second = apply_for_acceptance(designated, unit_applicant, at=_in_rectification())
    fresh = [make_expert() for _ in experts]
    return score_and_decide(
        second, fresh, call_admin_user, scores_with_total(designated, "59.5"), conclusion="整改后复评仍不合格。"
    )


def test_a_second_failure_revokes_the_designation(revoked, designated):
    assert revoked.round == 2 and revoked.band == AcceptanceEvaluation.Band.FAILED
    application = reload(designated)
    assert application.status == "revoked"
    assert application.get_status_display() == "已撤销命名"
    log = StateLog.objects.for_(application).order_by("-timestamp", "-pk").first()
    assert log.transition == "revoke"
    assert ReviewComment.objects.get(application=application, transition="revoke").text == "整改后复评仍不合格。"
    assert AuditEntry.objects.filter(event="workflow:revoke").count() == 1


def test_a_second_failure_revokes_the_ledger_and_the_60_percent_is_never_due(revoked, designated):
    record, items = instalments(designated)
    assert record.is_revoked
    assert items["final"].due_on is None
    assert items["final"].cancelled_at is not None
    # A release afterwards changes nothing: the cancelled instalment stays cancelled.
    from shenbao.funding.services import release_instalments

    release_instalments(application=designated, trigger="acceptance_passed", on=datetime.date(2025, 12, 1))
    _record, items = instalments(designated)
    assert items["final"].due_on is None


def test_a_second_failure_shows_revoked_on_the_public_pages(client, revoked, designated, notice):
    plaque = Plaque.objects.get(application=designated)
    page = client.get(reverse("verify:code", kwargs={"code": plaque.verification_code})).content.decode()
    assert "已撤销命名" in page
    designation_page = client.get(
        reverse("verify:code", kwargs={"code": plaque.designation.verification_code})
    ).content.decode()
    assert designation_page.count("已撤销命名") == 1  # only the revoked unit of the two
    notice_page = client.get(reverse("notices:public_detail", kwargs={"public_id": notice.public_id})).content.decode()
    assert notice_page.count("已撤销命名") == 1


def test_no_third_round_after_revocation(revoked, designated, unit_applicant):
    with pytest.raises(ValidationError):
        evaluations.start_evaluation(application=reload(designated), user=unit_applicant)


def test_the_revoke_step_is_refused_without_a_failed_re_evaluation(designated, call_admin_user):
    with pytest.raises(ValidationError, match="整改后复评仍不合格"):
        fire_transition(application=designated, name="revoke", actor=call_admin_user, comment="试图直接撤销。")
    assert reload(designated).status == "awarded"


def test_an_overdue_rectification_is_closed_as_a_failed_re_evaluation(
    applied, designated, experts, call_admin_user, unit_applicant
):
    first = _fail_first_round(applied, designated, experts, call_admin_user)
    rectification = Rectification.objects.get(evaluation=first)
    on_due_day = datetime.datetime(2025, 6, 20, 23, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    with pytest.raises(ValidationError, match="届满前不能按逾期处理"):
        results.close_missed_rectification(
            rectification=rectification,
            actor=call_admin_user,
            decided_on=DECIDED_ON,
            conclusion="逾期。",
            at=on_due_day,
        )
    late = on_due_day + datetime.timedelta(hours=2)
    with pytest.raises(ValidationError, match="整改期已于2025年6月20日届满"):
        services.submit_rectification(rectification=rectification, user=unit_applicant, at=late)
    second = results.close_missed_rectification(
        rectification=rectification,
        actor=call_admin_user,
        decided_on=datetime.date(2025, 6, 21),
        conclusion="整改期满未提交整改报告。",
        at=late,
    )
    assert second.round == 2 and second.rectification_missed and second.band == "failed"
    assert reload(designated).status == "revoked"
    record, _items = instalments(designated)
    assert record.is_revoked
    assert reload_evaluation(first).band == "failed"
