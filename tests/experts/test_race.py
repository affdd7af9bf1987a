"""Assignments under real concurrency (PostgreSQL, one connection per thread): the panel row lock serialises
every writer, so simultaneous runs, swaps and recusals never duplicate or lose an expert."""

from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from shenbao.experts.models import Assignment
from shenbao.experts.services import assign_experts, recuse_assignment, swap_assignment
from tests.applications.test_race import race

from .builders import make_application, make_expert, make_panel, make_unit

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has no row locks and its test database is not shared between threads",
    ),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("documents_queued"),
]
ACTIVE = Assignment.Status.ACTIVE
COUNTIES = ("140521", "140522", "140524", "140525", "140581")


@pytest.fixture
def panel_with_work(admin, call, workstation_type):
    experts = [make_expert(admin, region_key=county) for county in COUNTIES]
    applications = [make_application(make_unit("140502"), workstation_type) for _ in range(4)]
    panel = make_panel(admin, call, workstation_type, experts, per_application=3)
    return panel, applications, experts


def test_simultaneous_assignment_runs_assign_each_application_once(admin, panel_with_work):
    panel, applications, experts = panel_with_work

    outcomes = race(6, lambda: assign_experts(panel=panel, actor=admin))

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
    assert sum(len(outcome.created) for outcome in outcomes) == 12
    per_application = Counter(Assignment.objects.filter(status=ACTIVE).values_list("application_id", flat=True))
    assert per_application == {application.pk: 3 for application in applications}
    loads = Counter(Assignment.objects.filter(status=ACTIVE).values_list("expert_id", flat=True))
    assert max(loads.values()) - min(loads.get(profile.user_id, 0) for profile in experts) <= 1


def test_two_swaps_of_one_assignment_make_one_replacement(admin, panel_with_work):
    panel, _applications, _experts = panel_with_work
    assign_experts(panel=panel, actor=admin)
    target = Assignment.objects.filter(status=ACTIVE).order_by("pk").first()

    outcomes = race(2, lambda: swap_assignment(assignment=target, actor=admin, reason="并发更换"))

    successes = [outcome for outcome in outcomes if isinstance(outcome, Assignment)]
    refusals = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    assert len(successes) == 1 and len(refusals) == 1, outcomes
    assert Assignment.objects.filter(application=target.application_id, status=ACTIVE).count() == 3


def test_simultaneous_recusals_on_one_application_each_get_a_distinct_replacement(admin, panel_with_work):
    panel, applications, _experts = panel_with_work
    assign_experts(panel=panel, actor=admin)
    first, second = Assignment.objects.filter(application=applications[0], status=ACTIVE).order_by("pk")[:2]
    pending = iter([first, second])
    chosen = {}

    def recuse():
        assignment = next(pending)
        chosen[assignment.pk] = recuse_assignment(assignment=assignment, actor=assignment.expert, reason="并发回避")
        return chosen[assignment.pk]

    outcomes = race(2, recuse)

    assert all(isinstance(outcome, Assignment) for outcome in outcomes), outcomes
    active = list(Assignment.objects.filter(application=applications[0], status=ACTIVE))
    assert len(active) == 3 and len({row.expert_id for row in active}) == 3
    assert {first.expert_id, second.expert_id}.isdisjoint(row.expert_id for row in active)
