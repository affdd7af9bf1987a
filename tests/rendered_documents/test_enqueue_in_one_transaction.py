"""A submitted version's document tasks are written in one transaction after the commit, not one commit each
(issue 18, the deadline rush: eight write transactions right after every submission became one)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _documents_worker_apart(settings):
    """The documents' tasks wait in the database backend, as production's worker finds them."""
    settings.TASKS = {**settings.TASKS, "documents": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.SHENBAO_DOCUMENTS_TASK_BACKEND = "documents"


def test_the_submissions_document_tasks_are_written_in_one_transaction(submit_through_pages):
    callbacks = submit_through_pages(run_worker=False)
    with CaptureQueriesContext(connection) as queries:
        for callback in callbacks:
            callback()

    statements = [query["sql"].split()[0] for query in queries.captured_queries]
    inserts = [index for index, statement in enumerate(statements) if statement == "INSERT"]
    assert len(inserts) == DBTaskResult.objects.filter(backend_name="documents").count() == 8
    # Inside the test's own transaction a block is a savepoint: one opened before the first insert and released
    # after the last, with nothing committed in between.
    opened = max(index for index, statement in enumerate(statements[: inserts[0]]) if statement == "SAVEPOINT")
    released = [index for index, statement in enumerate(statements) if statement == "RELEASE" and index > inserts[-1]]
    assert released and all(statements[index] == "INSERT" for index in range(opened + 1, inserts[-1] + 1))
