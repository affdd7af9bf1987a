"""What the export job's workflow (`workflow.MACHINE`) names: its guard, effects and notify hook. Called by
`core.transitions.fire` under the job's row lock."""

import datetime
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from shenbao.accounts.rules import get_city_of_user
from shenbao.core.transitions import Transition
from shenbao.notifications.services import create_notifications, in_working_language

from .models import ExportJob


def every_row_written(*, job: ExportJob, actor: Any, payload: Any, at: datetime.datetime) -> list[str]:
    """The file holds exactly the rows counted when the job started: never a cut-off file offered as whole."""
    if payload.get("rows") == job.rows_total:
        return []
    return [
        _("导出文件行数（%(written)s）与应导出行数（%(total)s）不符，文件不完整。")
        % {"written": payload.get("rows"), "total": job.rows_total}
    ]


def record_start(*, job: ExportJob, actor: Any, payload: Any, at: datetime.datetime) -> None:
    job.started_at = job.heartbeat_at = at
    job.rows_total = payload["rows_total"]


def record_file(*, job: ExportJob, actor: Any, payload: Any, at: datetime.datetime) -> None:
    job.file = payload["file"]  # a new FieldFile: the transition then sees the field changed and saves it
    job.filename, job.content_type = payload["filename"], payload["content_type"]
    job.size, job.sha256, job.rows_written = payload["size"], payload["sha256"], payload["rows"]
    job.finished_at = job.heartbeat_at = at


def record_failure(*, job: ExportJob, actor: Any, payload: Any, at: datetime.datetime) -> None:
    job.error = payload["error"]
    job.finished_at = at


GUARDS = {"every_row_written": every_row_written}
EFFECTS = {"record_start": record_start, "record_file": record_file, "record_failure": record_failure}


def notify_step(job: ExportJob, *, step: Transition, actor: Any, comment: str, at: datetime.datetime) -> None:
    """The person who asked is told that the file is ready (with its row count) or could not be made."""
    if "owner" not in step.notify:
        return
    with in_working_language():
        if job.status == ExportJob.Status.DONE:
            title = _("导出文件已生成：%(title)s") % {"title": job.title}
            body = _("共%(rows)s行，已核对完整，请在导出任务页面下载。") % {"rows": job.rows_written}
        else:
            title = _("导出失败：%(title)s") % {"title": job.title}
            body = _("未能生成完整的导出文件，原因：%(error)s。请稍后重新导出。") % {"error": job.error}
    create_notifications(
        recipients=[job.owner],
        event=f"exports:{step.name}",
        title=title,
        body=body,
        url=reverse("exports:detail", kwargs={"public_id": job.public_id}),
        city=lambda: get_city_of_user(job.owner),  # the city the asker works for (a job has no city of its own)
        at=at,
    )
