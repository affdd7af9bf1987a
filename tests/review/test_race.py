"""Exactly-once under real concurrency in the review stages (PostgreSQL, one connection per thread, row locks):
two reviewers of the same county bureau passing the same application at once make one 初审 transition; two
re-check reviewers of one body make one decision, and the two bodies at once make one 复核 transition; the call
administrator proposing twice at once by hand makes one list (by hand and from the ranking page together:
tests/scoring/test_race.py).
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_fsm_log.models import StateLog

from shenbao.accounts.roles import Role
from shenbao.applications.models import Application
from shenbao.applications.workflow import ApplicationStatus
from shenbao.audit.models import AuditEntry
from shenbao.opinions.models import OpinionRequest
from shenbao.opinions.services import BatchOutcome, propose_applications
from shenbao.review.models import FirstReviewRecord, RecheckDecision
from tests.applications.test_race import race
from tests.factories import UserFactory
from tests.opinions.builders import OPINION_DUE, PROPOSE_AT

from .builders import AFTER, all_met, pass_first_review, upload_seal

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has no row locks and its test database is not shared between threads",
    ),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("documents_queued"),
]
S = ApplicationStatus
REASON = "综合得分排名未进入名额。"


def reload(application):
    return Application.objects.get(pk=application.pk)


def split(outcomes, kind):
    """(results of type `kind`, refusals); anything else (an unexpected exception) fails the test."""
    successes = [outcome for outcome in outcomes if isinstance(outcome, kind)]
    refusals = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    assert len(successes) + len(refusals) == len(outcomes), outcomes
    return successes, refusals


def test_two_county_reviewers_passing_at_once_make_one_transition(submitted, county_reviewer):
    from shenbao.review.services import decide_first_review

    colleague = UserFactory(organisation=county_reviewer.organisation, roles=[Role.COUNTY_REVIEWER])
    reviewers = iter([county_reviewer, colleague])
    items = all_met(submitted)
    upload_seal(submitted, county_reviewer)  # a pass rests on the county's sealed opinion

    def decide():
        return decide_first_review(
            application=submitted,
            user=next(reviewers),
            decision="pass",
            items=items,
            recommendation="同意推荐。",
            at=AFTER,
        )

    successes, refusals = split(race(2, decide), Application)

    assert len(successes) == 1 and len(refusals) == 1
    assert "状态已变化" in refusals[0].messages[0]
    assert reload(submitted).status == S.RECHECK
    assert StateLog.objects.for_(submitted).filter(transition="first_review_pass").count() == 1
    assert AuditEntry.objects.filter(event="workflow:first_review_pass").count() == 1
    assert FirstReviewRecord.objects.filter(application=submitted).count() == 1


def test_two_reviewers_of_one_recheck_body_make_one_decision(submitted, county_reviewer, hr_reviewer):
    from shenbao.review.services import record_recheck_decision

    in_recheck = pass_first_review(submitted, county_reviewer)
    colleague = UserFactory(organisation=hr_reviewer.organisation, roles=[Role.CITY_REVIEWER])
    reviewers = iter([hr_reviewer, colleague])

    def decide():
        return record_recheck_decision(
            application=in_recheck, user=next(reviewers), decision="pass", comment="同意。", at=AFTER
        )

    successes, refusals = split(race(2, decide), Application)

    assert len(successes) == 1 and len(refusals) == 1
    assert refusals[0].code == "already_decided"
    assert RecheckDecision.objects.filter(application=in_recheck, body=hr_reviewer.organisation).count() == 1
    # The other body has not decided: the application still waits, nothing fired.
    assert reload(in_recheck).status == S.RECHECK
    assert not AuditEntry.objects.filter(event="workflow:recheck_pass").exists()


def test_both_recheck_bodies_passing_at_once_make_one_transition(submitted, county_reviewer, hr_reviewer, org_reviewer):
    from shenbao.review.services import record_recheck_decision

    in_recheck = pass_first_review(submitted, county_reviewer)
    reviewers = iter([hr_reviewer, org_reviewer])

    def decide():
        return record_recheck_decision(
            application=in_recheck, user=next(reviewers), decision="pass", comment="同意。", at=AFTER
        )

    successes, _refusals = split(race(2, decide), Application)

    assert len(successes) == 2  # both decisions count; the second one to commit fires the step
    assert RecheckDecision.objects.filter(application=in_recheck).count() == 2
    assert reload(in_recheck).status == S.EXPERT_REVIEW
    assert StateLog.objects.for_(in_recheck).filter(transition="recheck_pass").count() == 1
    assert AuditEntry.objects.filter(event="workflow:recheck_pass").count() == 1


def test_proposing_twice_at_once_by_hand_makes_one_list(make_expert_review, call_admin_user, small_quota):
    first, second, third = (make_expert_review(name=f"晋城市并发提名{n}有限公司") for n in range(3))

    def propose():
        return propose_applications(
            call=first.call,
            project_type=small_quota,
            selected=[first, second],
            opinion_due=OPINION_DUE,
            not_selected_reason=REASON,
            actor=call_admin_user,
            at=PROPOSE_AT,
        )

    successes, refusals = split(race(2, propose), BatchOutcome)

    assert len(successes) == 1 and len(refusals) == 1
    assert not successes[0].failed
    assert refusals[0].code == "not_candidate"
    assert [reload(item).status for item in (first, second, third)] == [S.SOLICITING, S.SOLICITING, S.NOT_SELECTED]
    for application in (first, second):
        assert StateLog.objects.for_(application).filter(transition="propose").count() == 1
    assert AuditEntry.objects.filter(event="workflow:propose").count() == 2
    assert AuditEntry.objects.filter(event="workflow:not_select").count() == 1
    assert OpinionRequest.objects.filter(application=first).count() == 2  # one set of requests, not two
