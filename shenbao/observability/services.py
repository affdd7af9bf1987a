"""Writes of the observability app: the task worker's heartbeat."""

import datetime as dt

from django.utils import timezone

from .models import WorkerHeartbeat

# Rows of workers gone this long are removed when a worker starts, so the table holds only recent processes.
FORGET_AFTER = dt.timedelta(days=7)


def record_heartbeat(
    *, worker_id: str, hostname: str, pid: int, queues: str, started_at: dt.datetime, tasks_run: int
) -> WorkerHeartbeat:
    """The worker `worker_id` is alive now (one row per worker, created by its first beat)."""
    heartbeat, _created = WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": hostname[:255],
            "pid": pid,
            "queues": queues[:255],
            "started_at": started_at,
            "beat_at": timezone.now(),
            "tasks_run": tasks_run,
        },
    )
    return heartbeat


def forget_old_heartbeats(*, now: dt.datetime | None = None) -> int:
    """Remove the rows of workers that have not beaten for FORGET_AFTER; the number removed."""
    cutoff = (now or timezone.now()) - FORGET_AFTER
    deleted, _per_model = WorkerHeartbeat.objects.filter(beat_at__lt=cutoff).delete()
    return deleted
