"""A submitted version's documents are one task, written after the commit (issue 18, the deadline rush: eight
task rows, then eight in one transaction, written right after every submission became one row)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from shenbao.documents.models import RenderedDocument
from shenbao.documents.services_stored import REQUEUE_AFTER, render_missing_documents
from shenbao.documents.tasks import render_stored_document, render_stored_documents

pytestmark = pytest.mark.django_db
S = RenderedDocument.Status


@pytest.fixture(autouse=True)
def _documents_worker_apart(settings):
    """The documents' tasks wait in the database backend, as production's worker finds them."""
    settings.TASKS = {**settings.TASKS, "documents": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.SHENBAO_DOCUMENTS_TASK_BACKEND = "documents"


def test_the_submissions_documents_are_one_task_written_after_the_commit(submit_through_pages):
    callbacks = submit_through_pages(run_worker=False)
    with CaptureQueriesContext(connection) as queries:
        for callback in callbacks:
            callback()

    inserts = [query["sql"] for query in queries.captured_queries if query["sql"].startswith("INSERT")]
    assert len(inserts) == 1 and "django_tasks_database_dbtaskresult" in inserts[0]
    task = DBTaskResult.objects.get(backend_name="documents")
    assert task.task_path == render_stored_documents.module_path
    queued = sorted(RenderedDocument.objects.filter(status=S.QUEUED).values_list("pk", flat=True))
    assert len(queued) == 8 and sorted(task.args_kwargs["args"][0]) == queued

    # What the worker runs for that row (the worker itself closes the connection a test's transaction holds).
    assert render_stored_documents.call(*task.args_kwargs["args"]) == [S.READY] * 8
    assert set(RenderedDocument.objects.values_list("status", flat=True)) == {S.READY}


def test_a_document_that_cannot_start_leaves_the_others_of_its_task_rendered(submit_through_pages):
    submit_through_pages(run_worker=False)
    first, *others = RenderedDocument.objects.order_by("pk").values_list("pk", flat=True)

    # "x" is no row id at all: its lookup raises before the rendering begins. The other documents still render,
    # and the task ends failed with that error, so the worker's log and the task's row show it.
    with pytest.raises(ValueError):
        render_stored_documents.call(["x", first])
    assert RenderedDocument.objects.get(pk=first).status == S.READY
    assert render_stored_documents.call([*others, 10**9]) == [S.READY] * len(others) + [None]


def test_a_one_document_task_queued_before_the_upgrade_still_renders(submit_through_pages):
    submit_through_pages(run_worker=False)
    pk = RenderedDocument.objects.order_by("pk").values_list("pk", flat=True).first()
    assert render_stored_document.call(pk) == S.READY
    assert RenderedDocument.objects.get(pk=pk).status == S.READY


def test_the_sweep_asks_again_for_a_version_whose_task_was_lost_with_one_task(
    submit_through_pages, django_capture_on_commit_callbacks
):
    for callback in submit_through_pages(run_worker=False):
        callback()
    DBTaskResult.objects.all().delete()  # the worker's queue lost the task after the commit
    queued_at = RenderedDocument.objects.values_list("queued_at", flat=True).first()

    with django_capture_on_commit_callbacks(execute=True):
        assert render_missing_documents(at=queued_at + REQUEUE_AFTER / 2)["requeued"] == 0
    assert not DBTaskResult.objects.exists()
    counts = render_missing_documents(at=queued_at + REQUEUE_AFTER * 2)

    assert counts["requeued"] == 8
    [task] = DBTaskResult.objects.all()
    assert sorted(task.args_kwargs["args"][0]) == sorted(RenderedDocument.objects.values_list("pk", flat=True))
