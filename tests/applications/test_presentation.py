"""The workflow's presentation table: every state has a complete row, pages and notifications read it."""

import re

import pytest
from django.template.loader import render_to_string

from shenbao.applications.models import Application
from shenbao.applications.workflow import (
    EDITABLE_STATES,
    FINAL_STATES,
    LAST_STEP,
    MACHINE,
    STATE_VIEWS,
    STATES,
    STEP_STATES,
    STEPS,
    TRANSITIONS,
    ApplicationStatus,
    get_state_view,
)

S = ApplicationStatus
BADGE = re.compile(r"primary|secondary|success|danger|warning|info|light|dark")  # Bootstrap's colours
# The states where an application ends before 授牌 (stopped), with the earliest step a stop may come from.
STOPPED = {S.WITHDRAWN: 1, S.REJECTED: 1, S.NOT_SELECTED: 3, S.OBJECTION_UPHELD: 5}


def test_every_state_has_exactly_one_complete_row():
    assert [state.status for state in STATES].count(S.DRAFT) == 1
    assert set(STATE_VIEWS) == set(S) and len(STATES) == len(S) == 14
    assert MACHINE.states == STATES  # the machine fire() moves shows the same rows
    for state in STATES:
        assert state.label == S(state.value).label and str(state) == str(state.label)
        assert BADGE.fullmatch(state.badge), state.value
        assert isinstance(state.step, int) and 0 <= state.step <= LAST_STEP, state.value
        assert str(state.public_stage), state.value


def test_the_flags_are_the_ones_the_pages_and_services_rely_on():
    assert {S.DRAFT, S.RETURNED} == EDITABLE_STATES
    assert {S.AWARDED, S.REVOKED, *STOPPED} == FINAL_STATES
    flags = {
        "in_first_review": {S.SUBMITTED},
        "in_expert_review": {S.EXPERT_REVIEW},
        "held_for_opinion": {S.OPINION_HOLD},
        "designated": {S.AWARDED},
        "revoked": {S.REVOKED},
    }
    for flag, states in flags.items():
        assert {state.status for state in STATES if getattr(state, flag)} == states, flag
    assert {status: get_state_view(status).step for status in STOPPED} == STOPPED
    # The sentences the status page and the construction page show beside a state.
    assert {state.status for state in STATES if state.phrase} == {S.RETURNED, S.OPINION_HOLD, S.REVOKED}


def test_every_review_step_has_the_one_state_that_means_it_is_under_way():
    assert [str(label) for label in STEPS] == ["提交", "资格初审", "资格复核", "专家评审", "征求意见", "公示", "授牌"]
    assert [status for _label, status in STEP_STATES] == [
        S.SUBMITTED,
        S.RECHECK,
        S.EXPERT_REVIEW,
        S.SOLICITING,
        S.IN_NOTICE,
        S.AWARDED,
    ]
    assert [get_state_view(status).step for _label, status in STEP_STATES] == list(range(1, LAST_STEP + 1))


def test_a_step_forward_never_goes_back_in_the_progress_except_a_return():
    for step in TRANSITIONS:
        target = get_state_view(step.target)
        for source in step.sources:
            if target.status == S.RETURNED or (target.final and target.step < LAST_STEP):
                assert target.step <= get_state_view(source).step, step.name
            else:
                assert target.step >= get_state_view(source).step, step.name


@pytest.mark.parametrize("status", list(S))
def test_the_badge_of_every_state_has_its_colour(status):
    html = render_to_string("applications/_status_badge.html", {"application": Application(status=status)})
    state = get_state_view(status)
    assert html.strip() == f'<span class="badge status-badge text-bg-{state.badge}">{state.label}</span>'
