"""Writes of the stored documents of submitted versions: queuing them, rendering them in the task worker, asking
again for a failed one, and the operator's sweep for what is missing or stalled.

Submitting (and resubmitting) an application queues every document of the new version in both formats and both
audiences (`models.RenderedDocument` says why two): the workflow's follow-up `effects.queue_submitted_documents`
creates the rows in the submission's transaction and the task worker is asked after the commit, so a submission
that rolls back queues nothing and the worker never looks for a row that is not there. `run_rendering` renders
from the version's own snapshot, stores the file and offers it; anything that goes wrong fails the row, audited.
The download view never renders a submitted version: it serves the stored file or shows the progress.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from shenbao.applications.selectors import list_served_versions
from shenbao.core.background import STALL_AFTER, describe_failure
from shenbao.core.transitions import fire

from .kinds import list_document_kinds
from .models import RenderedDocument
from .pdf import release_render_memory
from .services import render_document, resolve_document_kind
from .workflow import MACHINE

if TYPE_CHECKING:
    from shenbao.accounts.models import User
    from shenbao.applications.models import ApplicationVersion

logger = logging.getLogger(__name__)
S = RenderedDocument.Status
# A row still queued this long after it was queued lost its task (a worker's queue cleared, an enqueue that never
# committed): the sweep asks the worker again. A second delivery of a task is harmless (`run_rendering`).
REQUEUE_AFTER = dt.timedelta(minutes=10)


def queue_version_documents(*, version: ApplicationVersion, fresh: bool = False) -> list[RenderedDocument]:
    """Queue every document of `version` that has no row yet (every kind of its project type, PDF and DOCX, both
    audiences); the worker is asked once this transaction commits. Returns the rows created.

    `fresh`: the version was made in the running transaction (a submission's follow-up). Nobody else can have a
    row for it yet, since rows are made only for a version others can see (`ensure_document`, the sweep), so
    there is nothing to read first and no other writer to give way to."""
    application = version.application
    kinds = list_document_kinds(project_type=application.project_type, call=application.call)
    wanted = [
        (kind.slug, file_format, audience)
        for kind in kinds
        for file_format in RenderedDocument.Format.values
        for audience in RenderedDocument.Audience.values
    ]
    existing = (
        set()
        if fresh
        else set(RenderedDocument.objects.filter(version=version).values_list("document", "file_format", "audience"))
    )
    missing = [key for key in wanted if key not in existing]
    if not missing:
        return []
    rows = [
        RenderedDocument(version=version, document=document, file_format=file_format, audience=audience)
        for document, file_format, audience in missing
    ]
    created = RenderedDocument.objects.bulk_create(rows) if fresh else _insert_or_keep_theirs(rows)
    _enqueue_after_commit([row.pk for row in created])
    return created


def _insert_or_keep_theirs(rows: list[RenderedDocument]) -> list[RenderedDocument]:
    """One insert, not a get_or_create per row. A row made meanwhile by another writer (`ensure_document` from a
    download) fails the insert; then row by row, keeping theirs."""
    try:
        with transaction.atomic():
            return RenderedDocument.objects.bulk_create(rows)
    except IntegrityError:
        created = []
        for row in rows:
            kept, made = RenderedDocument.objects.get_or_create(
                version=row.version, document=row.document, file_format=row.file_format, audience=row.audience
            )
            if made:
                created.append(kept)
        return created


def ensure_document(*, version: ApplicationVersion, document: str, file_format: str, audience: str) -> RenderedDocument:
    """The row of one stored document, queued now when the version has none (a version submitted before the
    documents were stored, whose sweep has not run yet)."""
    row, made = RenderedDocument.objects.get_or_create(
        version=version, document=document, file_format=file_format, audience=audience
    )
    if made:
        _enqueue_after_commit([row.pk])
    return row


def _enqueue_after_commit(ids: list[int]) -> None:
    if ids:
        transaction.on_commit(lambda: _enqueue([ids]))


def _enqueue(groups: Iterable[list[int]]) -> None:
    """One task for each group of document ids (a version's documents), all written in one transaction."""
    from .tasks import render_stored_documents

    # The task worker's backend (`SHENBAO_DOCUMENTS_TASK_BACKEND`, the default one unless a test harness keeps
    # documents apart from the other tasks to run their worker itself).
    task = render_stored_documents.using(backend=settings.SHENBAO_DOCUMENTS_TASK_BACKEND)
    # A version's documents are one task: one row written after a submission instead of one per document (issue
    # 18, the deadline rush), while the versions of a sweep still spread over several workers. If one write fails,
    # none is queued and the sweep (`render_missing_documents`) asks again, as for any task lost after the commit.
    with transaction.atomic():
        for ids in groups:
            task.enqueue(list(ids))


def run_rendering(*, rendered_id: int) -> RenderedDocument | None:
    """Render and store one queued document (the task worker's work); a row already started or ended is left
    alone, so a second delivery of the same task renders nothing; a row gone with its application, too (None)."""
    rendered = RenderedDocument.objects.filter(pk=rendered_id).first()
    if rendered is None or rendered.status != S.QUEUED:
        return rendered
    try:
        rendered = fire(machine=MACHINE, obj=rendered, name="start", actor=None)
    except ValidationError:
        return RenderedDocument.objects.get(pk=rendered_id)  # another delivery started it meanwhile
    stored = ""
    try:
        version = rendered.version
        application = version.application
        kind = resolve_document_kind(application=application, document=rendered.document)
        at = timezone.now()
        generated = render_document(
            application=application,
            kind=kind,
            file_format=rendered.file_format,
            audience=rendered.audience,
            version=version,
            at=at,
        )
        # The path names no person or unit: the download name is kept in the row.
        path = (
            f"documents/{application.public_id}/{version.sequence}/"
            f"{rendered.document}-{rendered.audience}.{rendered.file_format}"
        )
        stored = default_storage.save(path, ContentFile(generated.content))
        payload = {
            "file": stored,
            "filename": generated.filename,
            "content_type": generated.content_type,
            "size": len(generated.content),
            "sha256": hashlib.sha256(generated.content).hexdigest(),
            "rendered_at": at,
        }
        return fire(machine=MACHINE, obj=rendered, name="finish", actor=None, payload=payload)
    except Exception as error:
        logger.exception("rendering document %s failed", rendered.pk)
        if stored:
            default_storage.delete(stored)
        return fire(machine=MACHINE, obj=rendered, name="fail", actor=None, payload={"error": describe_failure(error)})
    finally:
        release_render_memory()  # a worker renders document after document: it must not keep what each left


def retry_rendering(
    *, rendered: RenderedDocument, actor: User | None, request: HttpRequest | None = None
) -> RenderedDocument:
    """Queue a failed document again (a person the view checked, or the operator's sweep with no actor)."""
    rendered = fire(machine=MACHINE, obj=rendered, name="retry", actor=actor, request=request)
    _enqueue_after_commit([rendered.pk])
    return rendered


def render_missing_documents(*, retry_failed: bool = False, at: dt.datetime | None = None) -> dict[str, int]:
    """The operator's sweep (`manage.py render_missing_documents`, after the upgrade and from the timer): queue
    the documents of every served version that has none, fail and queue again every rendering that stalled
    (its worker died), ask the worker again for rows queued long ago, and with `retry_failed` queue the failed
    ones again. Returns how many of each."""
    at = at or timezone.now()
    counts = {"queued": 0, "stalled": 0, "requeued": 0, "retried": 0}
    for version in list_served_versions().iterator(chunk_size=500):
        with transaction.atomic():
            counts["queued"] += len(queue_version_documents(version=version))
    stalled = RenderedDocument.objects.filter(status=S.RENDERING, started_at__lt=at - STALL_AFTER)
    for rendered in stalled:
        with transaction.atomic():
            failed = fire(
                machine=MACHINE, obj=rendered, name="fail", actor=None, payload={"error": _("后台生成中断，未能完成")}
            )
            retry_rendering(rendered=failed, actor=None)
        counts["stalled"] += 1
    forgotten: dict[int, list[int]] = {}
    for version_id, pk in RenderedDocument.objects.filter(
        status=S.QUEUED, queued_at__lt=at - REQUEUE_AFTER
    ).values_list("version_id", "pk"):
        forgotten.setdefault(version_id, []).append(pk)
    _enqueue(forgotten.values())
    counts["requeued"] = sum(len(ids) for ids in forgotten.values())
    if retry_failed:
        for rendered in RenderedDocument.objects.filter(status=S.FAILED):
            with transaction.atomic():
                retry_rendering(rendered=rendered, actor=None)
            counts["retried"] += 1
    return counts
