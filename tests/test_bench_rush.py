"""The deadline rush of the benchmark suite (bench/rush_data.py) on a small scale: its drafts are complete and
submittable through the real submit page, its units are spread over the counties that have a first reviewer, and
its check counts one submission per application with the audit chain intact. (The rush itself runs in CI as part
of `make bench`.)"""

import pytest
from django.core.management import call_command
from django.test import Client

from bench import rush_data
from shenbao.accounts.demo import seed_demo
from shenbao.accounts.models import User
from shenbao.applications.models import Application
from shenbao.applications.selectors import get_submission_checklist
from shenbao.applications.workflow import ApplicationStatus
from shenbao.calls.demo import ensure_practice_call

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _documents_worker_apart(settings):
    """The submitted versions' documents wait for the task worker (none runs here), as in production."""
    settings.TASKS = {**settings.TASKS, "documents": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.SHENBAO_DOCUMENTS_TASK_BACKEND = "documents"


@pytest.fixture
def practice_call(call, password):
    seed_demo(password=password)
    practice, _created = ensure_practice_call(source=call, actor=User.objects.get(username="skills_admin"))
    return practice


def test_the_rush_drafts_are_complete_spread_and_submit_once(practice_call, password, tmp_path):
    rush = rush_data.prepare(count=2, out_dir=tmp_path, password=password)

    assert rush["call"] == practice_call.slug
    assert len({item["reviewer"] for item in rush["applications"]}) == 2  # two counties, each its own reviewer
    assert (tmp_path / "rush-seal.pdf").read_bytes().startswith(b"%PDF")
    ids = [item["id"] for item in rush["applications"]]
    for item in rush["applications"]:
        application = Application.objects.get(public_id=item["id"])
        assert application.status == ApplicationStatus.DRAFT
        checklist = get_submission_checklist(application=application)
        assert checklist["can_submit"], checklist["reasons"]
        client = Client()
        client.force_login(User.objects.get(username=item["applicant"]))
        answer = client.post(f"/applications/{item['id']}/submit/")
        assert answer.status_code == 302

    check = rush_data.check(step=rush["submit_step"], public_ids=ids)
    assert check == {
        "applications": 2,
        "found": 2,
        "in_target_state": 2,
        "lost": 0,
        "doubled": 0,
        "audit_entries": 2,
        "audit_mismatch": 0,
    }
    call_command("audit_verify")


def test_the_rush_check_counts_an_application_not_submitted_as_lost(practice_call, password, tmp_path):
    rush = rush_data.prepare(count=1, out_dir=tmp_path, password=password)
    check = rush_data.check(step=rush["submit_step"], public_ids=[rush["applications"][0]["id"]])
    assert (check["lost"], check["in_target_state"], check["audit_mismatch"]) == (1, 0, 1)
