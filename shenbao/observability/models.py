"""The task worker's heartbeat: one row per worker process, refreshed every few seconds by `manage.py task_worker`.

In the database rather than the cache: /readyz on every web node must see the worker wherever it runs, and the
database is the one store that every node and the worker always share (the cache is per process without
REDIS_URL, and the worker's queue is in the database anyway). One UPDATE every few seconds costs nothing.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    worker_id = models.CharField(_("任务进程标识"), max_length=64, unique=True)
    hostname = models.CharField(_("主机名"), max_length=255)
    pid = models.PositiveIntegerField(_("进程号"))
    queues = models.CharField(_("队列"), max_length=255)
    started_at = models.DateTimeField(_("启动时间"))
    beat_at = models.DateTimeField(_("最近心跳时间"), db_index=True)
    tasks_run = models.PositiveIntegerField(_("已执行任务数"), default=0)

    class Meta:
        verbose_name = _("任务进程心跳")
        verbose_name_plural = _("任务进程心跳")

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid} ({self.worker_id})"
