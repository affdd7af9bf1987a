"""Pages of 征求意见: the administrator's proposed list and progress, the departments' inbox and answer, the PDF.

Objects are fetched through scoped selectors (outside the user's scope: 404); the services check everything
again under row locks. Views only translate between HTTP and those services.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from shenbao.accounts.roles import Role
from shenbao.applications.selectors import get_visible_application
from shenbao.calls.models import Call, ProjectType
from shenbao.calls.picker import pick_call
from shenbao.core.forms import add_service_errors
from shenbao.core.http import error_messages, or_404, page_of
from shenbao.core.pending import beijing_today
from shenbao.scoring.proposals import proposal_follows_ranking, suggest_ranked_proposal

from . import selectors, services
from .documents import generate_opinion_form, opinion_form_filename
from .forms import AnswerForm, DecisionForm, ProposalForm
from .models import OpinionRequest
from .rules import SUPERIOR_ROLES


def _report(request, outcome, done_message):
    for warning in outcome.warnings:
        messages.warning(request, warning)
    for result in outcome.failed:
        for text in result.messages:
            messages.error(request, f"{result.application.number} {result.application.unit.name}:{text}")
    done = len(outcome.results) - len(outcome.failed)
    if done:
        messages.success(request, done_message % {"count": done})


def _types_with_counts(call: Call) -> QuerySet[ProjectType]:
    return selectors.list_project_types_with_counts(call=call)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def proposals(request):
    """Choose the proposed list by hand, or, when the type has an expert panel, show the ranking's list.

    With a panel the list is set on the scoring ranking page; a POST here still goes through the service,
    which refuses anything but the top of the ranking (`scoring.proposals`).
    """
    pick = pick_call(request, with_type=True, list_types=_types_with_counts)
    call, project_types, project_type = pick.call, pick.project_types, pick.project_type
    by_ranking = proposal_follows_ranking(call=call, project_type=project_type)
    # With a panel the page lists the ranking instead; a POST still needs the choices to validate against.
    free_choice = not by_ranking or request.method == "POST"
    candidates = list(selectors.list_proposal_candidates(call=call, project_type=project_type)) if free_choice else []
    form = ProposalForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.propose_applications(
                call=call,
                project_type=project_type,
                selected=form.cleaned_data["selected"],
                opinion_due=form.cleaned_data["opinion_due"],
                not_selected_reason=form.cleaned_data["not_selected_reason"],
                actor=request.user,
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _report(request, outcome, _("已处理 %(count)s 个申报。"))
            return redirect(f"{reverse('opinions:proposals')}?{pick.query}")
    context = {
        "call": call,
        "pick": pick,
        "project_types": project_types,
        "project_type": project_type,
        "candidates": candidates,
        "form": form,
        "by_ranking": by_ranking,
    }
    if by_ranking:
        context["ranked"] = suggest_ranked_proposal(call=call, project_type=project_type)
        context["ranking_url"] = f"{reverse('scoring:ranking')}?{pick.query}"
    return render(request, "opinions/proposals.html", context)


@login_required
@require_safe
def progress(request):
    call = pick_call(request).call
    page = page_of(request, selectors.list_opinion_progress(call=call))
    context = {"call": call, "page_obj": page, "decision_form": DecisionForm()}
    return render(request, "opinions/progress.html", context)


@login_required
@require_POST
def decide(request, public_id):
    application = or_404(get_visible_application, user=request.user, public_id=public_id)
    if not request.user.has_perm("applications.fire_overrule_opinion", application):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择处理结果并填写理由。"))
    else:
        try:
            services.decide_on_objection(
                application=application,
                actor=request.user,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            for text in error_messages(error):
                messages.error(request, text)
        else:
            messages.success(request, _("已记录对 %(unit)s 的处理决定。") % {"unit": application.unit.name})
    return redirect(f"{reverse('opinions:progress')}?{urlencode({'call': application.call.slug})}")


@login_required
@require_safe
def inbox(request):
    if not request.user.has_role(Role.CONSULTED_DEPARTMENT, *SUPERIOR_ROLES):
        raise PermissionDenied
    answered = request.GET.get("show") == "answered"
    requests = (
        selectors.list_answered_requests(user=request.user)
        if answered
        else selectors.list_open_requests(user=request.user)
    )
    page = page_of(request, requests)
    # A request is overdue from the day after its 反馈截止日期 (Beijing time), as on the dashboard's 待办.
    context = {"page_obj": page, "answered": answered, "today": beijing_today()}
    return render(request, "opinions/inbox.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def answer(request, public_id):
    try:
        opinion_request = selectors.get_answerable_request(user=request.user, public_id=public_id)
    except OpinionRequest.DoesNotExist:
        raise Http404 from None
    can_answer = request.user.has_perm("opinions.answer_request", opinion_request)
    form = AnswerForm(request.POST or None)
    if request.method == "POST":
        if not can_answer:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.record_opinion(
                    opinion_request=opinion_request,
                    user=request.user,
                    response=form.cleaned_data["response"],
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("意见已提交。"))
                return redirect("opinions:inbox")
    context = {"opinion_request": opinion_request, "application": opinion_request.application, "form": form}
    context["can_answer"] = can_answer
    return render(request, "opinions/answer.html", context)


@login_required
@require_safe
def opinion_form_pdf(request, public_id):
    application = or_404(get_visible_application, user=request.user, public_id=public_id)
    if not request.user.has_perm("opinions.view_opinion_form", application):
        raise PermissionDenied
    if not application.opinion_requests.exists():
        raise Http404
    data = generate_opinion_form(
        application=application, actor=request.user, request=request, site_url=request.build_absolute_uri("/")
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=opinion_form_filename(application=application)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
