"""The export job's background task (django.tasks; the immediate backend in tests)."""

from django.tasks import task


@task
def run_export_job(job_id):
    from .services import run_export

    return run_export(job_id=job_id).status
