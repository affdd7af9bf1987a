"""django-tasks-db's worker with a heartbeat (`manage.py task_worker`).

The heartbeat is written by a thread of the worker process every SHENBAO_WORKER_HEARTBEAT_SECONDS, not by the
polling loop: a task may rightly run for minutes (bulk documents) without the worker being dead. The thread
stops with the process, so a crashed or killed worker stops beating and /readyz reports it after
SHENBAO_WORKER_STALE_SECONDS. Each task runs with its result id as the request id, so its log lines and the
audit entries it writes carry that correlation id.
"""

import datetime as dt
import logging
import os
import socket
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from . import context, services

logger = logging.getLogger(__name__)


class HeartbeatWorker(Worker):
    def __init__(self, **options: object) -> None:
        super().__init__(**options)  # type: ignore[arg-type]
        self.started_at: dt.datetime = timezone.now()
        self.stopped = threading.Event()

    def beat(self) -> None:
        close_old_connections()
        try:
            services.record_heartbeat(
                worker_id=self.worker_id,
                hostname=socket.gethostname(),
                pid=os.getpid(),
                queues=",".join(self.queue_names),
                started_at=self.started_at,
                tasks_run=self._run_tasks,
            )
        except Exception:
            # A database that is briefly away must not kill the worker; the missing beats show on /readyz.
            logger.warning("task worker heartbeat not recorded", exc_info=True)

    def _beat_forever(self) -> None:
        interval = settings.SHENBAO_WORKER_HEARTBEAT_SECONDS
        try:
            while not self.stopped.wait(interval):
                self.beat()
        finally:
            connection.close()

    def run(self) -> None:
        services.forget_old_heartbeats()
        self.beat()
        beating = threading.Thread(target=self._beat_forever, name="task-worker-heartbeat", daemon=True)
        beating.start()
        try:
            super().run()
        finally:
            self.stopped.set()

    def run_task(self, db_task_result: DBTaskResult) -> None:
        token = context.bind_request_id(f"task-{db_task_result.id}")
        try:
            super().run_task(db_task_result)
        finally:
            context.request_id.reset(token)
