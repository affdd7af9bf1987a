"""资格初审 and 资格复核 pages. Views translate HTTP to `services`; objects come through `selectors` (else 404)."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from shenbao.applications.materials import list_material_rows
from shenbao.applications.workflow import ApplicationStatus
from shenbao.core.files import list_viewer_files, serve_stored_file
from shenbao.core.http import error_messages, or_404, page_of, require_permission
from shenbao.documents.kinds import list_document_kinds

from . import selectors, services
from .checklist import MATERIAL_KIND, checklist_rows, with_judgements
from .exports import SUMMARY_PERMISSION, summary_rows
from .flags import flag_queue_rows, get_application_flags
from .forms import BatchForm, FirstReviewForm, QueueFilterForm, RecheckForm, SealForm, parse_checklist
from .models import Decision, Judgement
from .seals import get_current_seal, get_visible_seal, upload_first_review_seal


def _filters(request, *, with_status=True):
    """(form, call, project type, status) from the query string; unknown values are ignored."""
    calls = list(selectors.list_filter_calls(user=request.user))
    call = next((item for item in calls if item.slug == request.GET.get("call")), None)
    project_types = list(selectors.list_filter_project_types(call=call))
    project_type = next((item for item in project_types if item.code == request.GET.get("project_type")), None)
    status = request.GET.get("status") or ApplicationStatus.SUBMITTED
    if status == "all":
        status = ""
    elif status not in ApplicationStatus.values:
        status = ApplicationStatus.SUBMITTED
    initial = {"call": call.slug if call else "", "project_type": project_type.code if project_type else ""}
    initial["status"] = status or "all"
    form = QueueFilterForm(initial, calls=calls, project_types=project_types, with_status=with_status)
    return form, call, project_type, status


@login_required
@require_safe
def first_review_queue(request):
    require_permission(request.user, "review.use_first_review")
    form, call, project_type, status = _filters(request)
    queue = selectors.list_first_review_queue(user=request.user, call=call, project_type=project_type, status=status)
    page = page_of(request, queue)
    flag_queue_rows(applications=page.object_list)
    context = {"filter_form": form, "page_obj": page, "batch_form": BatchForm(), "status": status, "call": call}
    return render(request, "review/first_review_queue.html", context)


@login_required
@require_POST
def first_review_batch(request):
    require_permission(request.user, "review.use_first_review")
    form = BatchForm(request.POST)
    public_ids = request.POST.getlist("selected")
    if not public_ids:
        messages.error(request, _("请先勾选要批量处理的申报。"))
        return redirect("review:first_review_queue")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("review:first_review_queue")
    # Only the user's own queue: ids outside it are silently not found (never another body's application).
    applications = list(
        selectors.list_first_review_queue(user=request.user, status="").filter(public_id__in=public_ids)
    )
    data = form.cleaned_data
    results = services.batch_first_review(
        applications=applications,
        user=request.user,
        decision=data["decision"],
        recommendation=data["recommendation"],
        comment=data["comment"],
        resubmission_due=data["resubmission_due"],
    )
    context = {
        "results": results,
        "not_found": len(set(public_ids)) - len(applications),
        "decision": Decision(data["decision"]).label,
        "succeeded": sum(1 for result in results if result["ok"]),
        "failed": sum(1 for result in results if not result["ok"]),
    }
    return render(request, "review/first_review_batch.html", context)


def _viewer_files(application):
    """申报书 and materials for the inline viewer, through the same scoped downloads as the links elsewhere."""
    public_id = application.public_id
    return list_viewer_files(
        documents=list_document_kinds(project_type=application.project_type, call=application.call),
        material_rows=list_material_rows(application=application),
        document_url=lambda kind: reverse(
            "documents:application_pdf", kwargs={"public_id": public_id, "document": kind.slug}
        ),
        material_url=lambda file: reverse(
            "applications:material_download", kwargs={"material_public_id": file.public_id}
        ),
    )


def _get_for_first_review(request, public_id):
    return or_404(selectors.get_first_review_application, user=request.user, public_id=public_id)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def first_review_detail(request, public_id):
    application = _get_for_first_review(request, public_id)  # outside the user's body: 404
    saved = services.get_saved_checklist(application=application)
    rows = checklist_rows(application=application, items=saved.items if saved else {})
    can_decide = application.status == ApplicationStatus.SUBMITTED and request.user.has_perm(
        "review.first_review", application
    )
    form = FirstReviewForm(initial={"recommendation": saved.recommendation if saved else ""})
    errors = []
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied
        form = FirstReviewForm(request.POST)
        rows = with_judgements(rows, parse_checklist(request.POST, rows))
        if form.is_valid():
            items = {row["code"]: {"judgement": row["judgement"], "note": row["note"]} for row in rows}
            data = form.cleaned_data
            try:
                if data["action"] == "save":
                    services.save_first_review_checklist(
                        application=application, user=request.user, items=items, recommendation=data["recommendation"]
                    )
                    messages.success(request, _("核查表已保存。"))
                    return redirect("review:first_review", public_id=application.public_id)
                services.decide_first_review(
                    application=application,
                    user=request.user,
                    decision=data["action"],
                    items=items,
                    recommendation=data["recommendation"],
                    comment=data["comment"],
                    resubmission_due=data["resubmission_due"],
                    request=request,
                )
            except ValidationError as error:
                errors = error_messages(error)
            else:
                messages.success(
                    request, _("已完成资格初审：%(decision)s。") % {"decision": Decision(data["action"]).label}
                )
                return redirect("review:first_review", public_id=application.public_id)
    context = {
        "application": application,
        "rows": [row for row in rows if row["kind"] != MATERIAL_KIND],
        "material_rows": [row for row in rows if row["kind"] == MATERIAL_KIND],
        "form": form,
        "errors": errors,
        "can_decide": can_decide,
        "judgements": Judgement.choices,
        "records": selectors.list_first_review_records(application=application),
        "viewer_files": _viewer_files(application),
        "seal": get_current_seal(application=application),
        "seal_form": SealForm() if rules.has_perm("review.upload_seal", request.user, application) else None,
        **get_application_flags(application=application, user=request.user),
    }
    return render(request, "review/first_review_detail.html", context, status=400 if errors else 200)


# Rows per page of the 初审汇总表 (a printed page holds about 20; a body's rows of a large call fit a few pages).
# The XLSX holds every row.
SUMMARY_PAGE_SIZE = 200


def _summary_call(request):
    require_permission(request.user, SUMMARY_PERMISSION)
    calls = list(selectors.list_filter_calls(user=request.user))
    call = next((item for item in calls if item.slug == request.GET.get("call")), calls[0] if calls else None)
    if call is None:
        raise Http404
    return call, calls


@login_required
@require_safe
def first_review_summary(request):
    call, calls = _summary_call(request)
    page = selectors.page_first_review_summary(
        user=request.user, call=call, number=request.GET.get("page"), per_page=SUMMARY_PAGE_SIZE
    )
    context = {"call": call, "calls": calls, "page_obj": page, "rows": summary_rows(page.object_list)}
    return render(request, "review/first_review_summary.html", context)


@login_required
@require_safe
def recheck_queue(request):
    require_permission(request.user, "review.use_recheck")
    form, call, project_type, _status = _filters(request, with_status=False)
    queue = selectors.list_recheck_queue(user=request.user, call=call, project_type=project_type)
    page = page_of(request, queue)
    flag_queue_rows(applications=page.object_list)
    for application in page.object_list:
        application.round_decisions = selectors.decisions_of_round(application)
        application.mine = next(
            (item for item in application.round_decisions if item.body_id == request.user.organisation_id), None
        )
    return render(request, "review/recheck_queue.html", {"filter_form": form, "page_obj": page})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def recheck_detail(request, public_id):
    # outside the user's scope: 404, whatever the role
    application = or_404(selectors.get_visible_for_recheck, user=request.user, public_id=public_id)
    if not request.user.has_perm("review.use_recheck") or not request.user.has_perm("review.recheck", application):
        raise PermissionDenied
    decisions = selectors.list_round_decisions(application=application)
    mine = next((item for item in decisions if item.body_id == request.user.organisation_id), None)
    form = RecheckForm()
    errors = []
    if request.method == "POST":
        form = RecheckForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_recheck_decision(
                    application=application,
                    user=request.user,
                    decision=data["decision"],
                    comment=data["comment"],
                    resubmission_due=data["resubmission_due"],
                    request=request,
                )
            except ValidationError as error:
                errors = error_messages(error)
            else:
                messages.success(request, _("已记录本单位的资格复核决定。"))
                return redirect("review:recheck", public_id=application.public_id)
    records = selectors.list_first_review_records(application=application)
    context = {
        "application": application,
        "decisions": decisions,
        "mine": mine,
        "form": form,
        "errors": errors,
        "can_decide": application.status == ApplicationStatus.RECHECK and mine is None,
        "first_review": records.filter(decision=Decision.PASS).order_by("-at", "-pk").first(),
        "requires_all": application.call.recheck_requires_all,
        "viewer_files": _viewer_files(application),
        **get_application_flags(application=application, user=request.user),
    }
    return render(request, "review/recheck_detail.html", context, status=400 if errors or form.errors else 200)


@login_required
@require_POST
def first_review_seal(request, public_id):
    """The first-review body's sealed opinion (scan) for the version under review; back to the checklist."""
    application = _get_for_first_review(request, public_id)  # outside the user's body: 404
    require_permission(request.user, "review.upload_seal", application)
    form = SealForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择加盖公章的初审意见扫描件。"))
    else:
        try:
            upload_first_review_seal(
                application=application, uploaded_file=form.cleaned_data["file"], user=request.user, request=request
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, "；".join(error_messages(error)))
        else:
            messages.success(request, _("盖章扫描件已上传。"))
    return redirect("review:first_review", public_id=application.public_id)


@login_required
@require_safe
def seal_download(request, seal_public_id):
    seal = or_404(get_visible_seal, user=request.user, public_id=seal_public_id)
    return serve_stored_file(
        request,
        file=seal.file,
        filename=seal.original_name,
        content_type=seal.content_type,
        event="review:seal_download",
        target=seal,
        details={"number": seal.application.number, "file": seal.original_name},
    )
