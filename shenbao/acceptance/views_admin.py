"""The call administrator's pages (市人社局技能办): all progress reports and evaluations of the city with filters,
expert assignment, the result (验收结论) and the handling of an overdue rectification."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from shenbao.accounts.roles import Role
from shenbao.applications.rules import call_admin
from shenbao.calls.periods import construction_years
from shenbao.calls.selectors import list_project_types
from shenbao.core.http import or_404, page_of
from shenbao.organisations.selectors import get_city_of_region, list_filter_regions

from . import results, reviews, selectors
from .forms import AssignExpertsForm, DecisionForm, EvaluationFilterForm, RemoveExpertForm, ReportFilterForm
from .models import ExpertReview
from .views import flash_errors, require_role


def _city_project_types(user):
    """(code, name) of the project types of the city's calls, and their construction years."""
    city = get_city_of_region(user.organisation.region) if user.organisation_id else None
    types = list(list_project_types(city=city))
    choices = list(dict((item.code, item.name) for item in types).items())
    years = sorted({year for item in types for year in construction_years(item)})
    return choices, years


@login_required
@require_safe
def admin_reports(request):
    require_role(request.user, Role.CALL_ADMIN)
    project_types, years = _city_project_types(request.user)
    regions = list(list_filter_regions(user=request.user).order_by("key"))
    form = ReportFilterForm(request.GET or None, years=years, project_types=project_types, regions=regions)
    filters = form.cleaned_data if form.is_valid() else {}
    region = next((item for item in regions if str(item.pk) == filters.get("region")), None)
    reports = selectors.list_reports(
        user=request.user,
        year=filters.get("year"),
        status=filters.get("status") or "",
        project_type=filters.get("project_type") or None,
        region=region,
    )
    page = page_of(request, reports)
    return render(request, "acceptance/admin_reports.html", {"filter_form": form, "page_obj": page})


@login_required
@require_safe
def admin_evaluations(request):
    require_role(request.user, Role.CALL_ADMIN)
    project_types, _years = _city_project_types(request.user)
    form = EvaluationFilterForm(request.GET or None, project_types=project_types)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.list_evaluations(
        user=request.user,
        status=filters.get("status") or "",
        band=filters.get("band") or "",
        project_type=filters.get("project_type") or None,
        round_number=filters.get("round"),
    )
    page = page_of(request, rows)
    return render(request, "acceptance/admin_evaluations.html", {"filter_form": form, "page_obj": page})


def _managed_evaluation(request, public_id):
    evaluation = or_404(selectors.get_evaluation, user=request.user, public_id=public_id)
    if not request.user.has_perm("acceptance.manage_evaluation", evaluation):
        raise PermissionDenied
    return evaluation


@login_required
@require_POST
def evaluation_assign(request, public_id):
    evaluation = _managed_evaluation(request, public_id)
    form = AssignExpertsForm(request.POST, eligible=selectors.list_eligible_experts(evaluation=evaluation))
    if not form.is_valid():
        messages.error(request, _("请选择至少一名符合条件的专家。"))
    else:
        try:
            reviews.assign_experts(
                evaluation=evaluation, experts=list(form.cleaned_data["experts"]), actor=request.user, request=request
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("已指派专家，并已通知专家评分。"))
            assigned, needed = reviews.count_assigned_experts(evaluation=evaluation)
            if assigned < needed:
                text = _("已指派 %(assigned)s / 需 %(needed)s 名：还需指派 %(more)s 名专家，才能确认验收结论。") % {
                    "assigned": assigned,
                    "needed": needed,
                    "more": needed - assigned,
                }
                messages.warning(request, text)
    return redirect("acceptance:evaluation_detail", public_id=evaluation.public_id)


@login_required
@require_POST
def review_remove(request, public_id):
    review = (
        ExpertReview.objects.filter(public_id=public_id, removed_at__isnull=True).select_related("evaluation").first()
    )
    if review is None:
        raise Http404
    evaluation = _managed_evaluation(request, review.evaluation.public_id)
    form = RemoveExpertForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写撤回指派的理由。"))
    else:
        try:
            reviews.remove_expert(
                review=review, actor=request.user, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("已撤回该专家的指派。"))
    return redirect("acceptance:evaluation_detail", public_id=evaluation.public_id)


@login_required
@require_POST
def evaluation_decide(request, public_id):
    evaluation = _managed_evaluation(request, public_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写结论日期和验收结论意见。"))
    else:
        try:
            evaluation = results.decide_evaluation(
                evaluation=evaluation,
                actor=request.user,
                decided_on=form.cleaned_data["decided_on"],
                conclusion=form.cleaned_data["conclusion"],
                request=request,
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(
                request, _("验收结论已确认：%(band)s。已通知被验收单位。") % {"band": evaluation.get_band_display()}
            )
    return redirect("acceptance:evaluation_detail", public_id=evaluation.public_id)


@login_required
@require_POST
def rectification_close(request, public_id):
    """整改期满未提交整改报告: record the re-evaluation as failed (撤销命名)."""
    evaluation = or_404(selectors.get_evaluation, user=request.user, public_id=public_id)
    rectification = getattr(evaluation, "rectification", None)
    if rectification is None or not call_admin(request.user, evaluation.application):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写结论日期和验收结论意见。"))
    else:
        try:
            results.close_missed_rectification(
                rectification=rectification,
                actor=request.user,
                decided_on=form.cleaned_data["decided_on"],
                conclusion=form.cleaned_data["conclusion"],
                request=request,
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("已按逾期未整改处理，撤销命名。"))
    return redirect("acceptance:project_detail", public_id=evaluation.application.public_id)
