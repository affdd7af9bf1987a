"""The task worker of the browser tests: run in the test's own thread, in batch mode (until its queue is empty),
while the live server answers the page that shows the progress."""

from django.core.management import call_command, get_commands

# `task_worker` is the platform's worker command (db_worker's options plus its heartbeat); db_worker before it exists.
WORKER = "task_worker" if "task_worker" in get_commands() else "db_worker"


def run_document_worker():
    """Render every queued document of a submitted version (the harness's "documents" backend, conftest.py)."""
    call_command(WORKER, "--batch", "--no-startup-delay", "--backend", "documents", verbosity=0)
