"""导出任务: asking for an export, the person's own export jobs, the progress of one (polled by htmx while it runs)
and its download.

Asking for a kind one may not export answers 404 (as the page offering it does); another person's job too. The
download is offered only for a finished job whose rows were counted complete; it is served from the storage and
audited like every download (`core.files.serve_stored_file`).
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.module_loading import import_string
from django.utils.translation import get_language
from django.views.decorators.http import require_POST, require_safe

from shenbao.audit.events import Event
from shenbao.core.files import serve_stored_file
from shenbao.core.http import error_messages, page_of, require_permission

from .kinds import KINDS
from .selectors import describe_job, get_own_job, list_own_jobs
from .services import request_export


@login_required
@require_POST
def request_job(request, kind):
    """The export button of a list page posts its filters here: the job is queued and its page opened."""
    found = KINDS.get(kind)
    if found is None:
        raise Http404
    require_permission(request.user, found.permission, hidden=True)  # rules, so no superuser way round the roles
    try:
        params = import_string(found.prepare)(data=request.POST, language=get_language())
    except ValidationError as error:
        return HttpResponseBadRequest("；".join(error_messages(error)))
    job = request_export(owner=request.user, kind=kind, title=str(found.title), params=params, request=request)
    return redirect("exports:detail", public_id=job.public_id)


@login_required
@require_safe
def job_list(request):
    page = page_of(request, list_own_jobs(user=request.user))
    return render(request, "exports/list.html", {"page_obj": page})


@login_required
@require_safe
def job_detail(request, public_id):
    progress = describe_job(job=get_own_job(user=request.user, public_id=public_id))
    return render(request, "exports/detail.html", {"progress": progress, "job": progress.job})


@login_required
@require_safe
def job_progress(request, public_id):
    """The progress panel alone, which the page's htmx asks for every two seconds until the job ends."""
    progress = describe_job(job=get_own_job(user=request.user, public_id=public_id))
    return render(request, "exports/_progress.html", {"progress": progress, "job": progress.job})


@login_required
@require_safe
def job_download(request, public_id):
    progress = describe_job(job=get_own_job(user=request.user, public_id=public_id))
    if not progress.downloadable:
        raise Http404
    job = progress.job
    return serve_stored_file(
        request,
        file=job.file,
        filename=job.filename,
        content_type=job.content_type,
        event=Event.EXPORT_DOWNLOAD,
        target=job,
        details={"kind": job.kind, "rows": job.rows_written, "sha256": job.sha256},
    )
