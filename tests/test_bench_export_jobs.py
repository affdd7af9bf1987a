"""`bench.export_jobs`: every export a 技能办's pages offer runs as the task worker runs it, and is timed."""

import pytest

from bench.export_jobs import REQUESTS, measure
from shenbao.exports.models import ExportJob

pytestmark = pytest.mark.django_db


def test_each_kind_offered_to_the_call_administrator_is_queued_run_and_timed(call_admin_user, submitted):
    jobs = measure(username=call_admin_user.username)

    assert [job["kind"] for job in jobs] == list(REQUESTS)
    assert [(job["status"], job["error"]) for job in jobs] == [("done", "")] * len(REQUESTS)
    assert jobs[0]["rows"] == 1 and all(job["seconds"] >= 0 for job in jobs)  # the list holds the submitted one
    stored = ExportJob.objects.filter(owner=call_admin_user).order_by("pk")
    assert [(job.kind, job.rows_written, job.size) for job in stored] == [
        (job["kind"], job["rows"], job["bytes"]) for job in jobs
    ]
