"""A task for the worker's tests: it records an audit event, so the test sees it ran and with which correlation id."""

from django.tasks import task

from shenbao.audit.services import record_event


@task
def note_run(*, marker: str) -> str:
    record_event(event="login_failed", details={"marker": marker})
    return marker
