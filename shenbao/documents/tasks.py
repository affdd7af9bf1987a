"""The stored documents' background task (django.tasks; the immediate backend in tests)."""

from django.tasks import task


@task
def render_stored_document(rendered_id):
    from .services_stored import run_rendering

    rendered = run_rendering(rendered_id=rendered_id)
    return rendered.status if rendered is not None else None
