"""Pages of the designated unit (and the shared detail pages): its projects, progress reports, evidence files.

The self-evaluation and rectification pages are in `views_evaluation`, the administrator's lists and decisions in
`views_admin`, the experts' score sheets in `views_expert`. Objects come through scoped selectors (outside the
user's scope: 404); the services check everything again under row locks.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from shenbao.accounts.roles import Role
from shenbao.applications.rules import applicant_of_unit
from shenbao.core.files import serve_stored_file
from shenbao.core.http import error_messages, or_404, page_of

from . import evaluations, evidence, periods, selectors, services
from .evidence import EVIDENCE_RULE
from .forms import EvidenceForm, ReportForm, ReportReviewForm
from .models import AcceptanceEvaluation, ProgressReport
from .rules import may_report_on

FOLLOWING_ROLES = (Role.APPLICANT, Role.CALL_ADMIN)


def require_role(user, *roles):
    if not user.has_role(*roles):
        raise PermissionDenied


def flash_errors(request, error):
    for text in error_messages(error):
        messages.error(request, text)


@login_required
@require_safe
def home(request):
    """建设与验收: the designated units the user follows, with their reports and latest result at a glance."""
    require_role(request.user, *FOLLOWING_ROLES)
    latest = AcceptanceEvaluation.objects.filter(
        application=OuterRef("pk"), status=AcceptanceEvaluation.Status.DECIDED
    ).order_by("-round")
    projects = selectors.list_projects(user=request.user).annotate(
        accepted_reports=Count("progress_reports", filter=Q(progress_reports__status=ProgressReport.Status.ACCEPTED)),
        latest_band=Subquery(latest.values("band")[:1]),
    )
    page = page_of(request, projects)
    bands = dict(AcceptanceEvaluation.Band.choices)
    for project in page:
        project.latest_band_label = bands.get(project.latest_band, "")
    return render(
        request, "acceptance/home.html", {"page_obj": page, "is_admin": request.user.has_role(Role.CALL_ADMIN)}
    )


@login_required
@require_safe
def project_detail(request, public_id):
    application = or_404(selectors.get_project, user=request.user, public_id=public_id)
    overview = selectors.get_project_overview(application=application, user=request.user)
    blockers, next_round = evaluations.acceptance_blockers(application=application)
    context = {
        "application": application,
        "overview": overview,
        "is_unit": applicant_of_unit(request.user, application),
        "may_report": may_report_on(request.user, application),
        "can_start_evaluation": not blockers and next_round is not None,
        "evaluation_blockers": blockers,
        "next_round": next_round,
        "today": periods.beijing_today(),
    }
    return render(request, "acceptance/project_detail.html", context)


@login_required
@require_POST
def report_start(request, public_id, year):
    application = or_404(selectors.get_project, user=request.user, public_id=public_id)
    if not applicant_of_unit(request.user, application):
        raise PermissionDenied
    try:
        report = services.start_report(application=application, year=year, user=request.user, request=request)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("acceptance:project_detail", public_id=application.public_id)
    return redirect("acceptance:report_edit", public_id=report.public_id)


def _report_context(request, report):
    fund_uses = list(selectors.list_fund_uses(report=report))
    return {
        "report": report,
        "application": report.application,
        "groups": selectors.grouped_report_rows(report),
        "fund_uses": fund_uses,
        "fund_totals": selectors.fund_totals(fund_uses),
        "evidence_files": list(selectors.list_evidence(report=report)),
        "overdue": report.submitted_at is not None and periods.beijing_today(report.submitted_at) > report.due_on,
    }


@login_required
@require_safe
def report_detail(request, public_id):
    report = or_404(selectors.get_report, user=request.user, public_id=public_id)
    context = _report_context(request, report)
    context["can_review"] = request.user.has_perm("acceptance.review_report", report)
    context["can_edit"] = request.user.has_perm("acceptance.edit_report", report)
    context["review_form"] = ReportReviewForm() if context["can_review"] else None
    context["hide_project_link"] = not request.user.has_perm("acceptance.follow_application", report.application)
    return render(request, "acceptance/report_detail.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_edit(request, public_id):
    report = or_404(selectors.get_report, user=request.user, public_id=public_id)
    if not request.user.has_perm("acceptance.edit_report", report):
        return redirect("acceptance:report_detail", public_id=report.public_id)
    fund_uses = selectors.list_fund_uses(report=report)
    form = ReportForm(request.POST or None, report=report, fund_uses=fund_uses)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.save_report(
                report=report,
                user=request.user,
                progress=form.progress(),
                fund_uses=form.funds(),
                narrative=form.cleaned_data["narrative"],
                expected_revision=form.cleaned_data["revision"],
                request=request,
            )
            if request.POST.get("action") == "submit":
                services.submit_report(report=report, user=request.user, request=request)
                messages.success(request, _("建设进展报告已提交，等待市人社局技能办审核。"))
                return redirect("acceptance:report_detail", public_id=report.public_id)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("已保存。"))
        return redirect("acceptance:report_edit", public_id=report.public_id)
    context = _report_context(request, report)
    context.update(
        form=form,
        evidence_form=EvidenceForm(),
        evidence_rule=EVIDENCE_RULE,
        missing=services.report_missing_items(report, evidence_count=len(context["evidence_files"])),
    )
    return render(request, "acceptance/report_edit.html", context)


@login_required
@require_POST
def report_review(request, public_id):
    report = or_404(selectors.get_report, user=request.user, public_id=public_id)
    if not request.user.has_perm("acceptance.review_report", report):
        raise PermissionDenied
    form = ReportReviewForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
        return redirect("acceptance:report_detail", public_id=report.public_id)
    try:
        services.review_report(
            report=report,
            user=request.user,
            decision=form.cleaned_data["decision"],
            comment=form.cleaned_data["comment"],
            request=request,
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("审核结果已记录，并已通知申报单位。"))
    return redirect("acceptance:report_detail", public_id=report.public_id)


# --- Evidence files ----------------------------------------------------------------------------------------------


def attach_evidence(request, owner):
    """Handle an evidence upload for `owner`; messages tell the outcome."""
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的文件。"))
        return
    try:
        evidence.upload_evidence(
            owner=owner, uploaded_file=form.cleaned_data["file"], user=request.user, request=request
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("佐证材料已上传。"))


@login_required
@require_POST
def report_evidence(request, public_id):
    report = or_404(selectors.get_report, user=request.user, public_id=public_id)
    if not request.user.has_perm("acceptance.edit_report", report):
        raise PermissionDenied
    attach_evidence(request, report)
    return redirect("acceptance:report_edit", public_id=report.public_id)


EDIT_PAGES = {
    "report": "acceptance:report_edit",
    "evaluation": "acceptance:evaluation_edit",
    "rectification": "acceptance:rectification_edit",
}


@login_required
@require_POST
def evidence_remove(request, public_id):
    item = or_404(selectors.get_evidence, user=request.user, public_id=public_id)
    owner = evidence.evidence_owner(item)
    try:
        evidence.remove_evidence(evidence=item, user=request.user, request=request)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("已移除。"))
    field = next(name for name in EDIT_PAGES if getattr(item, f"{name}_id"))
    return redirect(EDIT_PAGES[field], public_id=owner.public_id)


@login_required
@require_safe
def evidence_download(request, public_id):
    item = or_404(selectors.get_evidence, user=request.user, public_id=public_id)
    return serve_stored_file(
        request,
        file=item.file,
        filename=item.original_name,
        content_type=item.content_type,
        event="acceptance:evidence_download",
        target=item,
        details={"number": item.application.number, "file": item.original_name},
    )
