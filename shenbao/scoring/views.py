"""The expert's pages: my assignments, the read-only application with its materials, the score sheet, the PDF.

Every page fetches the assignment through `selectors.get_my_assignment` (the expert's own active assignment):
another expert's assignment, application, file or sheet answers 404. Writes go to the same services as the API.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from shenbao.applications.formdata import readonly_section
from shenbao.applications.sections import get_form_spec
from shenbao.applications.workflow import ApplicationStatus
from shenbao.core.files import generated_file_response, list_viewer_files, serve_stored_file
from shenbao.core.http import or_404, page_of
from shenbao.documents.kinds import DocumentNotAvailable, list_document_kinds
from shenbao.documents.services import generate_application_document
from shenbao.experts import selectors as expert_selectors
from shenbao.experts.models import ExpertProfile
from shenbao.experts.services import mask_phone, read_phone

from . import selectors, services
from .documents import generate_score_sheet, score_sheet_filename
from .forms import ScoreSheetForm
from .rules import is_expert_user

# Refusals that mean "this sheet can no longer be written": the page answers 409 Conflict.
LOCKED_CODES = frozenset({"submitted", "not_in_review", "assignment_ended", "stale_revision"})


def _assignment(request, public_id):
    return or_404(selectors.get_my_assignment, user=request.user, public_id=public_id)


@login_required
@require_safe
def my_assignments(request):
    """评审任务 with the score sheets: the experts app's list page (回避 included) plus a sheet column and button."""
    if not is_expert_user(request.user):
        raise PermissionDenied
    try:
        profile = expert_selectors.get_own_profile(user=request.user)
    except ExpertProfile.DoesNotExist:
        profile = None
    context = {
        "profile": profile,
        "masked_phone": mask_phone(read_phone(profile)) if profile else "",
        "page_obj": page_of(request, selectors.list_my_assignments(user=request.user)),
        "ended": expert_selectors.list_ended_assignments(expert=request.user)[:50],
        "chairs_a_panel": expert_selectors.is_panel_chair(user=request.user),
    }
    return render(request, "scoring/my_assignments.html", context)


@login_required
@require_safe
def assignment_detail(request, public_id):
    """申报材料 as the expert reads them: the form content (ID numbers masked), documents and uploaded files."""
    assignment = _assignment(request, public_id)
    application = assignment.application
    spec = get_form_spec(application.project_type)
    form_data = application.form_data or {}
    context = {
        "assignment": assignment,
        "application": application,
        "sheet": selectors.sheet_of(assignment),
        "sections": [readonly_section(section, form_data.get(section.key)) for section in spec.sections],
        "documents": list_document_kinds(project_type=application.project_type, call=application.call),
        "material_rows": selectors.list_assignment_materials(assignment=assignment),
    }
    return render(request, "scoring/assignment_detail.html", context)


def _sheet_form(request, assignment, sheet, *, editable):
    project_type = assignment.application.project_type
    rows = selectors.list_sheet_rows(project_type=project_type, sheet=sheet)
    initial = {"overall_opinion": sheet.overall_opinion if sheet else "", "revision": sheet.revision if sheet else 0}
    data = request.POST if request.method == "POST" else None
    return ScoreSheetForm(data, rows=rows, step=project_type.score_step, readonly=not editable, initial=initial)


def _save(request, assignment, form):
    """Call the service for the button pressed; returns the HTTP status of a refusal, or None when done."""
    submitting = request.POST.get("action") == "submit"
    arguments = {
        "assignment": assignment,
        "expert": request.user,
        "scores": form.scores(),
        "overall_opinion": form.cleaned_data.get("overall_opinion", ""),
        "revision": form.cleaned_data.get("revision"),
    }
    try:
        if submitting:
            services.submit_sheet(**arguments, request=request)
        else:
            services.save_sheet_draft(**arguments)
    except ValidationError as error:
        form.add_service_errors(error)
        # A sheet that can no longer be written is a conflict; refused points re-show the form like any form.
        return 409 if getattr(error, "code", None) in LOCKED_CODES else 200
    messages.success(request, _("评分表已提交。") if submitting else _("已保存草稿，提交前可继续修改。"))
    return None


def _viewer_files(assignment):
    """The assigned application's documents and files for the inline viewer, through the expert's own downloads."""
    application = assignment.application
    return list_viewer_files(
        documents=list_document_kinds(project_type=application.project_type, call=application.call),
        material_rows=selectors.list_assignment_materials(assignment=assignment),
        document_url=lambda kind: reverse(
            "scoring:document", kwargs={"public_id": assignment.public_id, "document": kind.slug}
        ),
        material_url=lambda file: reverse(
            "scoring:material", kwargs={"public_id": assignment.public_id, "material_public_id": file.public_id}
        ),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def sheet(request, public_id):
    """评分表: points and a comment per rubric item, the overall opinion; save as a draft or submit."""
    assignment = _assignment(request, public_id)
    application = assignment.application
    current = selectors.sheet_of(assignment)
    editable = (current is None or not current.is_submitted) and application.status == ApplicationStatus.EXPERT_REVIEW
    form = _sheet_form(request, assignment, current, editable=editable)
    status = 200
    if request.method == "POST":
        if not editable:
            # The service refuses too; answering here keeps the disabled form's values from being re-posted.
            form.is_valid()
            form.add_error(None, _("评分表已提交或评审已结束，不能再修改。如确需修改，请联系专家组组长或申报管理员。"))
            status = 409
        elif form.is_valid():
            status = _save(request, assignment, form)
            if status is None:
                return redirect("scoring:sheet", public_id=assignment.public_id)
    context = {
        "assignment": assignment,
        "application": application,
        "sheet": current,
        "form": form,
        "groups": form.grouped(),
        "editable": editable,
        "reopenings": selectors.list_reopenings(sheet=current),
        "step": services.format_points(application.project_type.score_step),
        "viewer_files": _viewer_files(assignment),
    }
    return render(request, "scoring/sheet.html", context, status=status)


@login_required
@require_GET
def material_download(request, public_id, material_public_id):
    assignment = _assignment(request, public_id)
    material = or_404(selectors.get_assignment_material, assignment=assignment, public_id=material_public_id)
    return serve_stored_file(
        request,
        file=material.file,
        filename=material.original_name,
        content_type=material.content_type,
        event="scoring:material_download",
        target=material,
        details={"number": assignment.application.number, "file": material.original_name},
    )


@login_required
@require_GET
def document_pdf(request, public_id, document):
    """A generated document of the assigned application (申报书, 申请报告 / 实施方案) as PDF."""
    assignment = _assignment(request, public_id)
    try:
        generated = generate_application_document(
            application=assignment.application,
            document=document,
            file_format="pdf",
            actor=request.user,
            request=request,
            site_url=request.build_absolute_uri("/").rstrip("/"),
        )
    except DocumentNotAvailable:
        raise Http404 from None
    return generated_file_response(
        request, generated.content, filename=generated.filename, content_type=generated.content_type
    )


@login_required
@require_GET
def sheet_pdf(request, public_id):
    """The signed score sheet: the expert's own, or any of the administrator's city; once submitted."""
    current = or_404(selectors.get_printable_sheet, user=request.user, public_id=public_id)
    if not current.is_submitted:
        raise Http404
    data = generate_score_sheet(sheet=current, actor=request.user, request=request)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=score_sheet_filename(sheet=current)
    )
    add_never_cache_headers(response)
    return response
