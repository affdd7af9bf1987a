"""The test profile with tasks queued in the database for `manage.py task_worker` (as production queues them)."""

from shenbao.settings.test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
SHENBAO_WORKER_HEARTBEAT_SECONDS = 0.5
