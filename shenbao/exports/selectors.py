"""Reads of export jobs: each person sees only their own (another person's job is 404, as if it did not exist)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from .models import ExportJob

if TYPE_CHECKING:
    from shenbao.accounts.models import User

# A job without progress for this long is shown as possibly interrupted (the timer fails it later).
QUIET_AFTER = dt.timedelta(minutes=2)


def list_own_jobs(*, user: User) -> QuerySet[ExportJob]:
    return ExportJob.objects.filter(owner=user).order_by("-created_at", "-id")


def get_own_job(*, user: User, public_id: uuid.UUID) -> ExportJob:
    job = list_own_jobs(user=user).filter(public_id=public_id).first()
    if job is None:
        raise Http404
    return job


@dataclass(frozen=True)
class JobProgress:
    """What the job page shows besides the state badge: whether the file may be taken, whether the page should
    keep asking for progress, and whether a running job has gone quiet (its worker may have died)."""

    job: ExportJob
    downloadable: bool
    in_progress: bool
    quiet: bool
    percent: int  # 100 only when done: a job with every row written is still checking until it finishes


def describe_job(*, job: ExportJob, at: dt.datetime | None = None) -> JobProgress:
    at = at or timezone.now()
    in_progress = job.status in {ExportJob.Status.QUEUED, ExportJob.Status.RUNNING}
    beat = job.heartbeat_at or job.created_at
    done = job.status == ExportJob.Status.DONE
    percent = 100 if done else min(99, job.rows_written * 100 // job.rows_total) if job.rows_total else 0
    return JobProgress(
        job=job,
        downloadable=done and bool(job.file),
        in_progress=in_progress,
        quiet=in_progress and at - beat > QUIET_AFTER,
        percent=percent,
    )
