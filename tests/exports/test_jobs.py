"""Exports that never lie (issue 18, point 5): the audit CSV is built by the task worker into a file, checked
against the row count taken when it started, and offered only when complete; a failed job says so and offers
nothing. Through the pages with the full middleware stack (logged in, CSRF on)."""

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse

from shenbao.accounts.roles import Role
from shenbao.audit.events import Event
from shenbao.audit.models import AuditEntry
from shenbao.audit.services import record_event
from shenbao.core.transitions import fire
from shenbao.exports.models import ExportJob
from shenbao.exports.selectors import describe_job
from shenbao.exports.services import STALL_AFTER, fail_stalled_jobs, request_export, run_export
from shenbao.exports.workflow import MACHINE
from shenbao.notifications.models import Notification
from tests.factories import PlatformFactory, UserFactory
from tests.web import WebUser

pytestmark = pytest.mark.django_db
EXPORT_URL = reverse("exports:request", kwargs={"kind": "audit.entries"})
S = ExportJob.Status


@pytest.fixture
def auditor(db):
    return UserFactory(username="auditor_qian", organisation=PlatformFactory(), roles=[Role.AUDIT_ADMIN])


@pytest.fixture
def web(auditor, password):
    web = WebUser()
    web.log_in(auditor.username, password)
    return web


def ask(web, capture, **filters):
    with capture(execute=True):
        response = web.post(EXPORT_URL, filters, form_url=reverse("audit:list"))
    assert response.status_code == 302
    return ExportJob.objects.latest("pk"), response["Location"]


def rows_of(response):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_the_file_holds_exactly_the_rows_asked_for_and_is_offered_once_checked(
    web, auditor, django_capture_on_commit_callbacks
):
    for number in range(5):
        record_event(event="matrix:probe", details={"n": number})
    record_event(event="other:event")

    job, location = ask(web, django_capture_on_commit_callbacks, event="matrix:probe")
    record_event(event="matrix:probe")  # written after the request: not part of this export

    assert location == reverse("exports:detail", kwargs={"public_id": job.public_id})
    assert (job.status, job.error) == (S.DONE, "")
    assert job.status == S.DONE and job.rows_total == job.rows_written == 5
    page = web.get(location).content.decode()
    assert "导出进度</label>：100%" in page and "已写入 5 行，共 5 行。" in page and "下载 audit-" in page
    response = web.get(reverse("exports:download", kwargs={"public_id": job.public_id}))
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    rows = rows_of(response)
    assert rows[0][0] == "时间（北京时间）" and len(rows) == 6
    assert {row[3] for row in rows[1:]} == {"matrix:probe"}
    # Asked, started, finished and taken: each in the trail; the person was told, with a link to the job.
    events = list(
        AuditEntry.objects.filter(event__startswith="exports:").order_by("pk").values_list("event", flat=True)
    )
    assert events == [Event.EXPORT_REQUEST, Event.EXPORT_START, Event.EXPORT_FINISH, Event.EXPORT_DOWNLOAD]
    [told] = Notification.objects.filter(recipient=auditor)
    assert told.title == "导出文件已生成：审计记录导出（CSV）" and told.url == location
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "审计记录哈希链校验通过" in out.getvalue()


def test_another_persons_job_is_not_there(web, auditor, django_capture_on_commit_callbacks, password):
    job, location = ask(web, django_capture_on_commit_callbacks)
    colleague = UserFactory(username="auditor_sun", organisation=auditor.organisation, roles=[Role.AUDIT_ADMIN])
    other = WebUser(remote_addr="192.0.2.11")
    other.log_in(colleague.username, password)
    for name in ("detail", "progress", "download"):
        assert other.get(reverse(f"exports:{name}", kwargs={"public_id": job.public_id})).status_code == 404
    assert web.get(reverse("exports:list")).content.decode().count(location) == 1
    assert location not in other.get(reverse("exports:list")).content.decode()


def test_a_job_whose_owner_lost_the_role_fails_and_offers_nothing(web, auditor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        web.post(EXPORT_URL, {}, form_url=reverse("audit:list"))
    job = ExportJob.objects.get()
    auditor.role_grants.all().delete()  # taken away before the worker ran the job
    for callback in queued:
        callback()

    job.refresh_from_db()
    assert job.status == S.FAILED and job.error == "申请人已无查阅审计记录的权限" and not job.file
    assert web.get(reverse("exports:download", kwargs={"public_id": job.public_id})).status_code == 404
    assert AuditEntry.objects.filter(event=Event.EXPORT_FAIL, object_pk=str(job.pk)).exists()
    [told] = Notification.objects.filter(recipient=auditor)
    assert told.title == "导出失败：审计记录导出（CSV）"
    assert told.body == "未能生成完整的导出文件，原因：申请人已无查阅审计记录的权限。请稍后重新导出。"


def test_a_storage_failure_fails_the_job(auditor, monkeypatch, django_capture_on_commit_callbacks):
    def refuse(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(default_storage, "save", refuse)  # the disk or the object store: outside our code
    job = request_export(owner=auditor, kind="audit.entries", title="审计记录导出（CSV）", params={"upto": 10**9})
    job = run_export(job_id=job.pk)
    assert job.status == S.FAILED and "No space left on device" in job.error


def test_a_file_with_fewer_rows_than_counted_is_never_finished(auditor):
    job = ExportJob.objects.create(owner=auditor, kind="audit.entries", title="审计记录导出（CSV）")
    job = fire(machine=MACHINE, obj=job, name="start", actor=None, payload={"rows_total": 1000})
    payload = {"file": "x.csv", "filename": "x.csv", "content_type": "text/csv", "size": 1, "sha256": "0", "rows": 999}
    with pytest.raises(ValidationError) as refused:
        fire(machine=MACHINE, obj=job, name="finish", actor=None, payload=payload)
    assert refused.value.messages == ["导出文件行数（999）与应导出行数（1000）不符，文件不完整。"]
    job.refresh_from_db()
    assert job.status == S.RUNNING and not job.file


def test_a_job_that_stopped_beating_is_failed_at_the_boundary(auditor):
    job = ExportJob.objects.create(owner=auditor, kind="audit.entries", title="审计记录导出（CSV）")
    job = fire(machine=MACHINE, obj=job, name="start", actor=None, payload={"rows_total": 3})
    beat = job.heartbeat_at
    assert fail_stalled_jobs(at=beat + STALL_AFTER) == 0  # exactly a quarter of an hour: still running
    assert fail_stalled_jobs(at=beat + STALL_AFTER + dt.timedelta(milliseconds=1)) == 1
    job.refresh_from_db()
    assert job.status == S.FAILED and job.error == "后台生成中断，未能完成"


def test_a_repeated_task_delivery_does_nothing(auditor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = request_export(owner=auditor, kind="audit.entries", title="审计记录导出（CSV）", params={"upto": 0})
    job.refresh_from_db()
    assert job.status == S.DONE
    assert run_export(job_id=job.pk).status == S.DONE
    assert AuditEntry.objects.filter(event=Event.EXPORT_FINISH).count() == 1


def test_the_timers_command_fails_stalled_jobs_and_tells_the_owner(auditor):
    job = ExportJob.objects.create(owner=auditor, kind="audit.entries", title="审计记录导出（CSV）")
    ExportJob.objects.filter(pk=job.pk).update(created_at=job.created_at - dt.timedelta(days=1, seconds=1))
    out = io.StringIO()
    call_command("fail_stalled_exports", stdout=out)
    assert out.getvalue().strip() == "已将1个中断的导出任务标记为失败。"
    job.refresh_from_db()
    assert job.status == S.FAILED
    assert Notification.objects.get(recipient=auditor).title == "导出失败：审计记录导出（CSV）"


@pytest.mark.parametrize(
    ("status", "total", "written", "percent"),
    [(S.QUEUED, None, 0, 0), (S.RUNNING, 1000, 500, 50), (S.RUNNING, 1000, 1000, 99), (S.DONE, 1000, 1000, 100)],
)
def test_the_progress_reaches_100_only_when_the_file_is_checked(auditor, status, total, written, percent):
    job = ExportJob(owner=auditor, status=status, rows_total=total, rows_written=written)
    assert describe_job(job=job).percent == percent
