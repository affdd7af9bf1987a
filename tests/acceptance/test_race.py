"""Exactly once under real concurrency (PostgreSQL row locks): an expert's sheet submitted from two windows at
the same instant, the result confirmed twice at once, a report submitted twice at once."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from shenbao.acceptance import results, services
from shenbao.acceptance.models import AcceptanceEvaluation, ExpertReview, ItemResult, ProgressReport
from shenbao.acceptance.reviews import assign_experts, submit_review
from shenbao.audit.models import AuditEntry
from tests.applications.test_race import race

from .builders import AFTER_DECISION, DECIDED_ON, accept_all_reports, apply_for_acceptance, file_report, full_marks

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has no row locks and its test database is not shared between threads",
    ),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("documents_queued"),
]


@pytest.fixture
def applied(make_designated, call_admin_user):
    application, owner = make_designated()
    accept_all_reports(application, owner, call_admin_user)
    return apply_for_acceptance(application, owner)


def test_an_experts_sheet_submitted_twice_at_once_is_submitted_once(applied, make_expert, call_admin_user):
    expert = make_expert()
    [review] = assign_experts(evaluation=applied, experts=[expert], actor=call_admin_user)
    scores = full_marks(applied.application)

    outcomes = race(8, lambda: submit_review(review=review, user=expert, scores=scores, opinion="同意。"))

    successes = [outcome for outcome in outcomes if isinstance(outcome, ExpertReview)]
    refusals = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    assert len(successes) == 1, outcomes
    assert len(refusals) == 7, outcomes
    assert all("已提交" in refusal.messages[0] for refusal in refusals)
    assert AuditEntry.objects.filter(event="acceptance:submit_review").count() == 1
    assert ExpertReview.objects.get(pk=review.pk).submitted_at is not None


def test_the_result_confirmed_twice_at_once_is_recorded_once(applied, experts, call_admin_user):
    for review in assign_experts(evaluation=applied, experts=experts, actor=call_admin_user):
        submit_review(review=review, user=review.expert, scores=full_marks(applied.application), opinion="")

    outcomes = race(
        4,
        lambda: results.decide_evaluation(
            evaluation=applied, actor=call_admin_user, decided_on=DECIDED_ON, conclusion="合格。", at=AFTER_DECISION
        ),
    )

    assert len([outcome for outcome in outcomes if isinstance(outcome, AcceptanceEvaluation)]) == 1, outcomes
    assert all("状态已变化" in o.messages[0] for o in outcomes if isinstance(o, ValidationError))
    assert ItemResult.objects.filter(evaluation=applied).count() == 6
    assert AuditEntry.objects.filter(event="acceptance:decide").count() == 1
    assert AuditEntry.objects.filter(event="funding:release").count() == 1


def test_a_report_submitted_twice_at_once_is_submitted_once(make_designated):
    application, owner = make_designated()
    report = file_report(application, owner, 2023, submit=False)

    outcomes = race(6, lambda: services.submit_report(report=report, user=owner))

    assert len([outcome for outcome in outcomes if isinstance(outcome, ProgressReport)]) == 1, outcomes
    assert AuditEntry.objects.filter(event="acceptance:submit_report").count() == 1
