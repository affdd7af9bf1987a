"""Writes of export jobs: asking for an export, running it in the task worker, failing stalled jobs.

`request_export` is called by the request page (`views.request_job`) once the person's permission and filters are
checked (the kind's `permission` and `prepare`, `kinds.KINDS`); the job runs after the commit in the task worker
(`tasks.run_export_job`). `run_export` writes the whole file to the storage, beating the job's heartbeat and
progress with every chunk, and offers it only when its rows equal the count taken at the start (the
`every_row_written` guard); anything that goes wrong fails the job, audited, and the person is told. Nothing is
ever answered as a partial download.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import tempfile
from typing import TYPE_CHECKING, Any

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from shenbao.audit.events import Event
from shenbao.audit.services import record_event
from shenbao.core.background import STALL_AFTER, describe_failure
from shenbao.core.transitions import fire

from .kinds import KINDS
from .models import ExportJob
from .workflow import MACHINE

if TYPE_CHECKING:
    from shenbao.accounts.models import User

logger = logging.getLogger(__name__)


def request_export(
    *, owner: User, kind: str, title: str, params: dict[str, Any], request: HttpRequest | None = None
) -> ExportJob:
    """Queue an export of `kind` for `owner`; the task worker builds it once this transaction commits."""
    if kind not in KINDS:
        raise ValueError(f"unknown export kind {kind!r}")
    job = ExportJob.objects.create(owner=owner, kind=kind, title=title, params=params)
    record_event(
        event=Event.EXPORT_REQUEST, actor=owner, target=job, request=request, details={"kind": kind, "params": params}
    )
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from .tasks import run_export_job

    run_export_job.enqueue(job_id)


def run_export(*, job_id: int) -> ExportJob:
    """Build the file of a queued job (the task worker's work); a job already started or ended is left alone."""
    job = ExportJob.objects.select_related("owner").get(pk=job_id)
    if job.status != ExportJob.Status.QUEUED:
        return job  # a second delivery of the same task
    stored = ""
    try:
        plan = import_string(KINDS[job.kind].produce)(owner=job.owner, params=job.params)
        job = fire(machine=MACHINE, obj=job, name="start", actor=None, payload={"rows_total": plan.rows})
        digest, written, size = hashlib.sha256(), 0, 0
        with tempfile.TemporaryFile() as out:
            for text, rows in plan.chunks:
                data = text if isinstance(text, bytes) else text.encode("utf-8")  # XLSX arrives as bytes
                out.write(data)
                digest.update(data)
                written, size = written + rows, size + len(data)
                ExportJob.objects.filter(pk=job.pk).update(rows_written=written, heartbeat_at=timezone.now())
            out.seek(0)
            stored = default_storage.save(f"exports/{job.public_id}/{plan.filename}", File(out))
        payload = {
            "file": stored,
            "filename": plan.filename,
            "content_type": plan.content_type,
            "size": size,
            "sha256": digest.hexdigest(),
            "rows": written,
        }
        return fire(machine=MACHINE, obj=job, name="finish", actor=None, payload=payload)
    except Exception as error:
        logger.exception("export job %s failed", job.public_id)
        if stored:
            default_storage.delete(stored)
        return _fail(job, reason=describe_failure(error))


def _fail(job: ExportJob, *, reason: str) -> ExportJob:
    return fire(machine=MACHINE, obj=job, name="fail", actor=None, payload={"error": reason})


def fail_stalled_jobs(*, at: dt.datetime | None = None) -> int:
    """Fail every running job whose worker stopped writing (no chunk for `STALL_AFTER`) and every job still
    queued after a day; returns how many. Run by `manage.py fail_stalled_exports` from the timer."""
    at = at or timezone.now()
    stalled = ExportJob.objects.filter(status=ExportJob.Status.RUNNING, heartbeat_at__lt=at - STALL_AFTER)
    forgotten = ExportJob.objects.filter(status=ExportJob.Status.QUEUED, created_at__lt=at - dt.timedelta(days=1))
    count = 0
    for job in [*stalled, *forgotten]:
        _fail(job, reason=_("后台生成中断，未能完成"))
        count += 1
    return count
