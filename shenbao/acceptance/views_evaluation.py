"""评估验收 pages of the unit and the shared evaluation page: applying with a self-evaluation, the rectification
report, the evaluation with its result, and the result as PDF (评估验收结论)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from shenbao.applications.rules import applicant_of_unit, call_admin
from shenbao.core.files import serve_generated_file
from shenbao.core.http import or_404
from shenbao.core.transitions import state_of
from shenbao.documents.services import GENERATE_EVENT

from . import evaluations, periods, results, selectors, services
from .documents import render_result_pdf, result_filename
from .evidence import EVIDENCE_RULE
from .forms import (
    AssignExpertsForm,
    DecisionForm,
    EvidenceForm,
    RectificationForm,
    RemoveExpertForm,
    ScoreSheetForm,
)
from .models import AcceptanceEvaluation, Rectification
from .views import attach_evidence, flash_errors


@login_required
@require_POST
def evaluation_start(request, public_id):
    application = or_404(selectors.get_project, user=request.user, public_id=public_id)
    if not applicant_of_unit(request.user, application):
        raise PermissionDenied
    try:
        evaluation = evaluations.start_evaluation(application=application, user=request.user, request=request)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("acceptance:project_detail", public_id=application.public_id)
    return redirect("acceptance:evaluation_edit", public_id=evaluation.public_id)


def _self_score_form(request, evaluation):
    project_type = evaluation.application.project_type
    scores = {item.pk: points for item, points in selectors.list_self_scores(evaluation=evaluation)}
    return ScoreSheetForm(
        request.POST or None,
        items=evaluations.acceptance_rubric(project_type),
        step=project_type.score_step,
        scores=scores,
        revision=evaluation.revision,
        text_field="summary",
        text_label=_("自评报告"),
        text_initial=evaluation.summary,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def evaluation_edit(request, public_id):
    evaluation = or_404(selectors.get_evaluation, user=request.user, public_id=public_id)
    if not request.user.has_perm("acceptance.edit_evaluation", evaluation):
        return redirect("acceptance:evaluation_detail", public_id=evaluation.public_id)
    form = _self_score_form(request, evaluation)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = evaluations.save_self_evaluation(
                evaluation=evaluation,
                user=request.user,
                summary=form.text(),
                scores=form.scores(),
                expected_revision=form.cleaned_data["revision"],
                request=request,
            )
            if request.POST.get("action") == "submit":
                evaluations.submit_evaluation(evaluation=evaluation, user=request.user, request=request)
                messages.success(request, _("评估验收申请已提交，等待市人社局技能办组织专家评分。"))
                return redirect("acceptance:evaluation_detail", public_id=evaluation.public_id)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("已保存。"))
        return redirect("acceptance:evaluation_edit", public_id=evaluation.public_id)
    evidence_files = list(selectors.list_evidence(evaluation=evaluation))
    context = {
        "evaluation": evaluation,
        "application": evaluation.application,
        "form": form,
        "evidence_files": evidence_files,
        "evidence_form": EvidenceForm(),
        "evidence_rule": EVIDENCE_RULE,
        "missing": evaluations.evaluation_missing_items(evaluation),
    }
    return render(request, "acceptance/evaluation_edit.html", context)


@login_required
@require_POST
def evaluation_evidence(request, public_id):
    evaluation = or_404(selectors.get_evaluation, user=request.user, public_id=public_id)
    if not request.user.has_perm("acceptance.edit_evaluation", evaluation):
        raise PermissionDenied
    attach_evidence(request, evaluation)
    return redirect("acceptance:evaluation_edit", public_id=evaluation.public_id)


def _result_preview(evaluation, reviews):
    """The result the submitted sheets would give (shown to the administrator before confirming), or the reason
    there is none yet."""
    try:
        total, items, band = results.compute_result(evaluation=evaluation, reviews=reviews)
    except ValidationError as error:
        return {"blockers": error.messages}
    return {"total": total, "items": items, "band": AcceptanceEvaluation.Band(band).label, "failed": band == "failed"}


@login_required
@require_safe
def evaluation_detail(request, public_id):
    evaluation = or_404(selectors.get_evaluation, user=request.user, public_id=public_id)
    application = evaluation.application
    can_manage = request.user.has_perm("acceptance.manage_evaluation", evaluation)
    is_admin = call_admin(request.user, application)
    reviews = selectors.list_evaluation_reviews(evaluation=evaluation) if is_admin else []
    rectification = Rectification.objects.filter(evaluation=evaluation).first()
    context = {
        "evaluation": evaluation,
        "application": application,
        "self_scores": selectors.list_self_scores(evaluation=evaluation),
        "evidence_files": list(selectors.list_evidence(evaluation=evaluation)),
        "item_results": selectors.list_item_results(evaluation=evaluation) if evaluation.band else [],
        "rectification": rectification,
        "rectification_overdue": rectification is not None
        and state_of(rectification).editable
        and periods.beijing_today() > rectification.due_on,
        "is_admin": is_admin,
        "can_manage": can_manage,
        "can_edit": request.user.has_perm("acceptance.edit_evaluation", evaluation),
        "reviews": reviews,
    }
    if can_manage:
        context.update(
            assign_form=AssignExpertsForm(eligible=selectors.list_eligible_experts(evaluation=evaluation)),
            remove_form=RemoveExpertForm(),
            decision_form=DecisionForm(initial={"decided_on": periods.beijing_today()}),
            preview=_result_preview(evaluation, reviews),
        )
    elif is_admin and context["rectification_overdue"]:
        context["decision_form"] = DecisionForm(initial={"decided_on": periods.beijing_today()})
    return render(request, "acceptance/evaluation_detail.html", context)


@login_required
@require_safe
def evaluation_pdf(request, public_id):
    """评估验收结论 (PDF) of a decided evaluation, for the unit and the city's administrator."""
    evaluation = or_404(selectors.get_evaluation, user=request.user, public_id=public_id)
    if not state_of(evaluation).final:
        raise PermissionDenied
    return serve_generated_file(
        request,
        content=render_result_pdf(evaluation=evaluation),
        filename=result_filename(evaluation),
        content_type="application/pdf",
        event=GENERATE_EVENT,
        target=evaluation,
        details={"document": "评估验收结论", "number": evaluation.application.number, "format": "pdf"},
    )


# --- Rectification (整改) -----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def rectification_edit(request, public_id):
    rectification = or_404(selectors.get_rectification, user=request.user, public_id=public_id)
    can_edit = request.user.has_perm("acceptance.edit_rectification", rectification)
    form = RectificationForm(
        request.POST if can_edit and request.method == "POST" else None,
        initial={"report": rectification.report, "revision": rectification.revision},
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                rectification = services.save_rectification(
                    rectification=rectification,
                    user=request.user,
                    report=form.cleaned_data["report"],
                    expected_revision=form.cleaned_data["revision"],
                    request=request,
                )
                if request.POST.get("action") == "submit":
                    services.submit_rectification(rectification=rectification, user=request.user, request=request)
                    messages.success(request, _("整改报告已提交，可申请复评。"))
                    return redirect("acceptance:project_detail", public_id=rectification.application.public_id)
            except ValidationError as error:
                flash_errors(request, error)
            else:
                messages.success(request, _("已保存。"))
        return redirect("acceptance:rectification_edit", public_id=rectification.public_id)
    context = {
        "rectification": rectification,
        "application": rectification.application,
        "hide_project_link": not request.user.has_perm("acceptance.follow_application", rectification.application),
        "form": form,
        "can_edit": can_edit,
        "evidence_files": list(selectors.list_evidence(rectification=rectification)),
        "evidence_form": EvidenceForm(),
        "evidence_rule": EVIDENCE_RULE,
    }
    return render(request, "acceptance/rectification_edit.html", context)


@login_required
@require_POST
def rectification_evidence(request, public_id):
    rectification = or_404(selectors.get_rectification, user=request.user, public_id=public_id)
    if not request.user.has_perm("acceptance.edit_rectification", rectification):
        raise PermissionDenied
    attach_evidence(request, rectification)
    return redirect("acceptance:rectification_edit", public_id=rectification.public_id)
