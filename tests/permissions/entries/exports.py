"""exports: each person's own export jobs (导出任务); another person's job is 404 on every page of it."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from shenbao.exports.models import ExportJob
from tests.permissions.dsl import AUDITADMIN, LOGGED_IN, OWN, allow, get, post
from tests.permissions.scenario import PerRole

ENTRIES = [
    # Asking for a kind: only who may export it (the audit trail: the audit administrator); the others get 404.
    post("exports:request", allow(AUDITADMIN, status=302), denied=404, kwargs={"kind": "audit.entries"}),
    get("exports:list", allow(LOGGED_IN)),
    get("exports:detail", allow(LOGGED_IN, on=OWN), obj="export_job"),
    get("exports:progress", allow(LOGGED_IN, on=OWN), obj="export_job"),
    get("exports:download", allow(LOGGED_IN, on=OWN), obj="export_job"),
]


def _finished_job(owner):
    name = default_storage.save(f"exports/matrix/{owner.pk}.csv", ContentFile(b"\xef\xbb\xbfa\r\n1\r\n"))
    return ExportJob.objects.create(
        owner=owner,
        kind="audit.entries",
        title="权限矩阵导出",
        status=ExportJob.Status.DONE,
        rows_total=1,
        rows_written=1,
        file=name,
        filename="matrix.csv",
        content_type="text/csv; charset=utf-8",
        size=8,
    )


def build(scenario):
    own = {role: _finished_job(user) for role, user in scenario.users.items()}
    stranger = scenario.make_user("applicant", scenario.users["applicant"].organisation)
    scenario.add("export_job", own=PerRole(own), other_county=_finished_job(stranger))
