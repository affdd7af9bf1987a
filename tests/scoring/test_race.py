"""Exactly-once under real concurrency (PostgreSQL, one connection per thread, row locks doing the work):
two submissions of the same sheet make one submission and one audit record; a chair's reopening racing the
expert's submission, two administrators confirming the list at once, and the ranking page and the opinions page
proposing at once, leave one consistent outcome."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_fsm_log.models import StateLog

from shenbao.applications.workflow import ApplicationStatus
from shenbao.audit.models import AuditEntry
from shenbao.opinions.services import BatchOutcome, propose_applications
from shenbao.scoring.models import ScoreSheet, SheetReopening
from shenbao.scoring.services import reopen_sheet, save_sheet_draft, submit_sheet
from shenbao.scoring.services_ranking import confirm_proposed_list
from tests.applications.test_race import race

from .builders import OPINION_DUE, reload, scores_for, submit, uniform

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has no row locks and its test database is not shared between threads",
    ),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("documents_queued"),
]


def test_two_simultaneous_submissions_of_one_sheet_make_one(assignments):
    first = assignments[0]
    scores = scores_for(first.application.project_type, material=62, defence=26)
    draft = save_sheet_draft(assignment=first, expert=first.expert, scores=scores, overall_opinion="同意推荐。")
    outcomes = race(
        2, lambda: submit_sheet(assignment=first, expert=first.expert, revision=draft.revision, request=None)
    )
    successes = [outcome for outcome in outcomes if isinstance(outcome, ScoreSheet)]
    refusals = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    assert len(successes) == 1, outcomes
    assert len(refusals) == 1, outcomes
    assert refusals[0].code in {"submitted", "stale_revision"}
    assert ScoreSheet.objects.get(assignment=first).status == "submitted"
    assert AuditEntry.objects.filter(event="scoring:submit").count() == 1


def test_twenty_racing_submissions_without_revisions_still_make_one(assignments):
    first = assignments[0]
    scores = scores_for(first.application.project_type, material=60, defence=20)
    outcomes = race(
        20, lambda: submit_sheet(assignment=first, expert=first.expert, scores=scores, overall_opinion="同意。")
    )
    assert sum(isinstance(outcome, ScoreSheet) for outcome in outcomes) == 1, outcomes
    assert all(
        isinstance(outcome, ScoreSheet) or getattr(outcome, "code", None) == "submitted" for outcome in outcomes
    ), outcomes
    assert ScoreSheet.objects.filter(assignment=first).count() == 1
    assert AuditEntry.objects.filter(event="scoring:submit").count() == 1


def test_two_reopenings_at_once_make_one(assignments, chair, call_admin_user):
    sheet = submit(assignments[1], material=50, defence=20)
    actors = iter([chair, call_admin_user])
    outcomes = race(2, lambda: reopen_sheet(sheet=sheet, actor=next(actors), reason="核实第3项"))
    assert sum(isinstance(outcome, ScoreSheet) for outcome in outcomes) == 1, outcomes
    assert SheetReopening.objects.filter(sheet=sheet).count() == 1
    assert AuditEntry.objects.filter(event="scoring:reopen").count() == 1


def test_two_administrators_confirming_at_once_make_one_list(make_scored, workstation_type, call_admin_user):
    workstation_type.quota_min, workstation_type.quota_max = 1, 2
    workstation_type.save(update_fields=["quota_min", "quota_max"])
    top = make_scored("晋城市并发第一机械有限公司", uniform(60, 25))
    second = make_scored("晋城市并发第二机械有限公司", uniform(55, 25))

    def confirm():
        return confirm_proposed_list(
            call=workstation_type.call,
            project_type=workstation_type,
            count=1,
            opinion_due=OPINION_DUE,
            not_selected_reason="综合得分未进入名额。",
            actor=call_admin_user,
        )

    outcomes = race(2, confirm)
    refusals = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    assert len(refusals) == 1, outcomes
    assert refusals[0].code == "nothing_waiting"
    assert (reload(top).status, reload(second).status) == ("soliciting", "not_selected")
    assert AuditEntry.objects.filter(event="scoring:confirm_list").count() == 1
    assert AuditEntry.objects.filter(event="workflow:propose").count() == 1


def test_the_ranking_page_and_the_opinions_page_at_once_make_one_list(make_scored, workstation_type, call_admin_user):
    workstation_type.quota_min, workstation_type.quota_max = 1, 2
    workstation_type.save(update_fields=["quota_min", "quota_max"])
    top = make_scored("晋城市并发榜首机械有限公司", uniform(60, 25))
    other = make_scored("晋城市并发次席机械有限公司", uniform(50, 25))
    calls = iter(["ranking", "opinions"])
    common = {
        "call": workstation_type.call,
        "project_type": workstation_type,
        "opinion_due": OPINION_DUE,
        "not_selected_reason": "综合得分排名未进入名额。",
        "actor": call_admin_user,
    }

    def propose():
        if next(calls) == "ranking":
            return confirm_proposed_list(count=1, **common)
        return propose_applications(selected=[top], **common)

    outcomes = race(2, propose)
    successes = [outcome for outcome in outcomes if isinstance(outcome, BatchOutcome)]
    refusals = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]

    assert len(successes) == 1 and len(refusals) == 1, outcomes
    assert (reload(top).status, reload(other).status) == (ApplicationStatus.SOLICITING, ApplicationStatus.NOT_SELECTED)
    assert StateLog.objects.for_(top).filter(transition="propose").count() == 1
    assert AuditEntry.objects.filter(event="workflow:propose").count() == 1
