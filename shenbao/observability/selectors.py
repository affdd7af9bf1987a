"""Reads of the observability app: when a task worker last showed it was alive."""

import datetime as dt

from django.db.models import Max

from .models import WorkerHeartbeat


def get_latest_heartbeat() -> dt.datetime | None:
    """The newest heartbeat of any task worker, or None when no worker has ever beaten (or all were forgotten)."""
    latest: dt.datetime | None = WorkerHeartbeat.objects.aggregate(latest=Max("beat_at"))["latest"]
    return latest
