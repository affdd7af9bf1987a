"""The administrator's award page (授牌) and the downloads of the designation document and plaque certificates."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from shenbao.calls.picker import pick_call
from shenbao.core.files import serve_generated_file
from shenbao.core.forms import add_service_errors
from shenbao.core.http import page_of
from shenbao.documents.services import GENERATE_EVENT, safe_filename

from . import selectors, services
from .documents import render_designation_pdf, render_plaque_pdf
from .forms import AwardForm, DesignationForm
from .models import Designation, Plaque


def _save_designation(request, call, form):
    if not form.is_valid():
        return False
    try:
        services.save_designation(
            call=call,
            actor=request.user,
            document_number=form.cleaned_data["document_number"],
            issued_on=form.cleaned_data["issued_on"],
            request=request,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    messages.success(request, _("命名文件已保存。"))
    return True


def _award(request, call, form, designation, candidates):
    if designation is None:
        form.add_error(None, _("请先填写命名文件的文号和发文日期。"))
        return False
    if not form.is_valid():
        return False
    chosen = candidates.filter(public_id__in=form.cleaned_data["selected"])
    outcome = services.award_applications(
        applications=list(chosen), actor=request.user, designation=designation, request=request
    )
    for result in outcome.failed:
        for text in result.messages:
            messages.error(request, f"{result.application.number} {result.application.unit.name}:{text}")
    done = len(outcome.results) - len(outcome.failed)
    if done:
        messages.success(request, _("已授牌 %(count)s 个单位。") % {"count": done})
    return True


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def award(request):
    pick = pick_call(request)
    call = pick.call
    designation = selectors.get_call_wide_designation(call=call)
    candidates = selectors.list_award_candidates(call=call)
    initial = (
        {"document_number": designation.document_number, "issued_on": designation.issued_on} if designation else {}
    )
    action = request.POST.get("action") if request.method == "POST" else None
    designation_form = DesignationForm(request.POST if action == "designation" else None, initial=initial)
    award_form = AwardForm(
        request.POST if action == "award" else None,
        candidates=candidates.select_related(None).only("public_id", "number"),
    )
    if action == "designation" and _save_designation(request, call, designation_form):
        return redirect(f"{reverse('awards:award')}?{pick.query}")
    if action == "award" and _award(request, call, award_form, designation, candidates):
        return redirect(f"{reverse('awards:award')}?{pick.query}")
    context = {
        "call": call,
        "pick": pick,
        "designation": designation,
        "designations": list(selectors.list_designations(call=call)),
        "designation_form": designation_form,
        "award_form": award_form,
        "page_obj": page_of(request, candidates),
        "plaques": Paginator(selectors.list_recent_plaques(call=call), settings.PAGE_SIZE).get_page(
            request.GET.get("plaques")
        ),
    }
    return render(request, "awards/award.html", context)


def _serve_pdf(
    request: HttpRequest, data: bytes, *, filename: str, target: Model, document: str, number: str
) -> HttpResponseBase:
    return serve_generated_file(
        request,
        content=data,
        filename=filename,
        content_type="application/pdf",
        event=GENERATE_EVENT,
        target=target,
        details={"document": document, "number": number, "format": "pdf"},
    )


@login_required
@require_safe
def designation_pdf(request, public_id):
    designation = Designation.objects.select_related("call", "project_type").filter(public_id=public_id).first()
    if designation is None or not request.user.has_perm("awards.view_designation", designation):
        raise Http404  # not the user's city or unit: the document is not there for them
    data = render_designation_pdf(designation=designation, site_url=request.build_absolute_uri("/"))
    return _serve_pdf(
        request,
        data,
        filename=safe_filename(designation.title),
        target=designation,
        document="命名文件",
        number=designation.document_number,
    )


@login_required
@require_safe
def plaque_pdf(request, public_id):
    plaque = (
        Plaque.objects.select_related(
            "designation", "application__call", "application__unit", "application__project_type"
        )
        .filter(public_id=public_id)
        .first()
    )
    if plaque is None or not request.user.has_perm("awards.view_plaque", plaque):
        raise Http404
    data = render_plaque_pdf(plaque=plaque, site_url=request.build_absolute_uri("/"))
    return _serve_pdf(
        request,
        data,
        filename=safe_filename(plaque.number, plaque.application.unit.name, "牌匾证书"),
        target=plaque.application,
        document="牌匾证书",
        number=plaque.number,
    )
