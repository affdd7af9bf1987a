"""The stored documents' background tasks (django.tasks; the immediate backend in tests)."""

import logging

from django.tasks import task

logger = logging.getLogger(__name__)


@task
def render_stored_documents(rendered_ids):
    """Render the queued documents `rendered_ids` one after the other: a submitted version's eight documents are one
    task, one row in the database backend's queue instead of eight written right after every submission (issue 18,
    the deadline rush). One document that cannot even start does not keep the others from rendering; the task
    then ends failed with the first error, and that document stays queued for the sweep."""
    from .services_stored import run_rendering

    statuses, errors = [], []
    for rendered_id in rendered_ids:
        try:
            rendered = run_rendering(rendered_id=rendered_id)
        except Exception as error:  # logged here; raised again below once the others are done
            logger.exception("document %s could not be rendered", rendered_id)
            errors.append(error)
            statuses.append(None)
            continue
        statuses.append(rendered.status if rendered is not None else None)
    if errors:
        raise errors[0]
    return statuses


@task
def render_stored_document(rendered_id):
    """One document: what was queued before the documents of a version became one task. Nothing queues it any
    more; it stays so that a worker upgraded with tasks still in its queue renders them instead of failing them."""
    return render_stored_documents.call([rendered_id])[0]
