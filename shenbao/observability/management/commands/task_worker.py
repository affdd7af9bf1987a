"""`manage.py task_worker`: django-tasks-db's `db_worker` (same options) that records a heartbeat for /readyz."""

import os

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from shenbao.observability.worker import HeartbeatWorker


class Command(db_worker.Command):
    help = "Run the task worker (django-tasks-db's db_worker with a heartbeat that /readyz checks)"

    def handle(self, *args: object, **options: object) -> None:
        # db_worker's own handle, building our worker instead of its own.
        self.configure_logging(options["verbosity"])  # type: ignore[arg-type]
        reload, batch = options["reload"], options["batch"]
        if reload and batch:
            db_worker.logger.warning(
                "Warning: --reload and --batch cannot be specified together. Disabling autoreload."
            )
            reload = False
        queue_names = str(options["queue_name"]).split(",")
        exclude = str(options["exclude_queues"] or "")
        excluded_queue_names = exclude.split(",") if exclude else []
        if excluded_queue_names and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = HeartbeatWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=batch,
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded_queue_names,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
