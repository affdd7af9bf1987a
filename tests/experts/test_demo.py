"""Demo data of the expert review: the demo experts in the pool, a panel per project type, their assignments."""

import io

import pytest
from django.core.management import call_command

from shenbao.applications.workflow import ApplicationStatus
from shenbao.experts.models import Assignment, ExpertProfile, Panel
from shenbao.experts.services import read_phone
from tests.factories import seeded_demo

pytestmark = pytest.mark.django_db


def seed():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_adds_the_experts_panels_and_assignments_idempotently(call):
    first = seeded_demo()
    counts = (ExpertProfile.objects.count(), Panel.objects.count(), Assignment.objects.count())
    second = seed()

    assert "演示专家5名已入库" in first and "新分配评审任务0人次" in second
    assert (ExpertProfile.objects.count(), Panel.objects.count(), Assignment.objects.count()) == counts
    profiles = ExpertProfile.objects.select_related("user", "work_unit")
    assert sorted(profile.user.username for profile in profiles) == [f"expert{n}" for n in range(1, 6)]
    assert all(profile.work_unit == profile.user.organisation and read_phone(profile) for profile in profiles)
    panels = Panel.objects.filter(call=call)
    assert panels.count() == call.project_types.count()
    assert all(panel.chair is not None and panel.memberships.count() == 5 for panel in panels)
    waiting = call.applications.filter(status=ApplicationStatus.EXPERT_REVIEW)
    assert waiting.exists()
    for application in waiting:
        active = application.expert_assignments.filter(status=Assignment.Status.ACTIVE)
        assert active.count() == call.experts_per_application == 5
        assert not active.filter(expert__organisation=application.unit).exists()
