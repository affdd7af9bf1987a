"""评审排名 for the call administrator: the ranking per project type, decisions on full ties, the number to
propose within the quota and its confirmation, and the ranking / proposed list as XLSX and PDF.

Only the administrator of the city that issued the call gets here (others: 403 for the page, 404 for another
city's call). The services check everything again under the project type's row lock.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shenbao.applications.selectors import count_on_proposed_list
from shenbao.applications.workflow import ApplicationStatus
from shenbao.calls.aggregation import rule_of
from shenbao.calls.picker import CallPick, pick_call
from shenbao.core.files import serve_generated_file
from shenbao.core.http import error_messages, form_error_messages

from . import exports, selectors
from .forms import ProposalCountForm, TieBreakForm
from .proposals import suggest_ranked_proposal
from .services_ranking import confirm_proposed_list, decide_tie

RANKING_PAGE_SIZE = 100
PENDING_SHOWN = 20
FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _call_and_type(request: HttpRequest) -> CallPick:
    return pick_call(request, with_type=True)


def _ranking_url(call, project_type):
    return f"{reverse('scoring:ranking')}?{urlencode({'call': call.slug, 'type': project_type.code})}"


@login_required
@require_http_methods(["GET", "HEAD"])
def ranking(request):
    pick = _call_and_type(request)
    call, project_types, project_type = pick.call, pick.project_types, pick.project_type
    result = selectors.get_shown_ranking(call=call, project_type=project_type)
    waiting = [row for row in result.rows if row.candidate.item.status == ApplicationStatus.EXPERT_REVIEW]
    suggestion = suggest_ranked_proposal(call=call, project_type=project_type, ranking=result)
    # The whole ranking decides ties and the proposal; the page shows it a page at a time (a large call ranks
    # thousands, whose rows were most of the page's time), the XLSX and PDF in full.
    page = Paginator(result.rows, RANKING_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "call": call,
        "project_types": project_types,
        "project_type": project_type,
        "ranking": result,
        "page_obj": page,
        # A large call has thousands still being scored: the first few are named, the rest counted (评审进度 lists
        # them all, by panel).
        "pending_shown": result.pending[:PENDING_SHOWN],
        "pending_more": max(0, len(result.pending) - PENDING_SHOWN),
        "rows": [(row, exports.result_label(row)) for row in page.object_list],
        "method_label": rule_of(call).description,
        "tie_forms": [TieBreakForm(rows=group) for group in result.unresolved_ties],
        "tie_breaks": selectors.list_tie_breaks(project_type=project_type)[:20],
        "can_propose": bool(waiting) or bool(result.pending),
        "proposal_form": ProposalCountForm(initial={"count": suggestion.count}),
        "preview_errors": suggestion.errors,
        "preview_warnings": suggestion.warnings,
        "proposed_count": count_on_proposed_list(project_type=project_type),
        "query": pick.query,
        "pick": pick,
    }
    return render(request, "scoring/ranking.html", context)


@login_required
@require_POST
def tie_break(request):
    pick = _call_and_type(request)
    call, project_type = pick.call, pick.project_type
    result = selectors.get_ranking(call=call, project_type=project_type)
    keys = tuple(sorted(key for key in request.POST.get("group", "").split(",") if key))
    group = next((rows for rows in result.unresolved_ties if rows[0].tie_keys == keys), None)
    if group is None:
        messages.error(request, _("该并列情况已变化或已决定，请核对后重试。"))
        return redirect(_ranking_url(call, project_type))
    form = TieBreakForm(request.POST, rows=group)
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
        return redirect(_ranking_url(call, project_type))
    try:
        decide_tie(
            call=call,
            project_type=project_type,
            ordered=form.ordered(),
            reason=form.cleaned_data["reason"],
            actor=request.user,
            request=request,
        )
    except (ValidationError, PermissionDenied) as error:
        for text in error_messages(error):
            messages.error(request, text)
    else:
        messages.success(request, _("已记录并列名次的决定。"))
    return redirect(_ranking_url(call, project_type))


@login_required
@require_POST
def propose(request):
    pick = _call_and_type(request)
    call, project_type = pick.call, pick.project_type
    form = ProposalCountForm(request.POST)
    if not form.is_valid():
        for text in form_error_messages(form):
            messages.error(request, text)
        return redirect(_ranking_url(call, project_type))
    try:
        outcome = confirm_proposed_list(
            call=call,
            project_type=project_type,
            count=form.cleaned_data["count"],
            opinion_due=form.cleaned_data["opinion_due"],
            not_selected_reason=form.cleaned_data["not_selected_reason"],
            actor=request.user,
            request=request,
        )
    except (ValidationError, PermissionDenied) as error:
        for text in error_messages(error):
            messages.error(request, text)
    else:
        for warning in outcome.warnings:
            messages.warning(request, warning)
        proposed = sum(1 for result in outcome.results if result.transition == "propose")
        messages.success(request, _("拟授牌名单已确定：列入 %(count)s 个单位，已发起征求意见。") % {"count": proposed})
    return redirect(_ranking_url(call, project_type))


@login_required
@require_GET
def export(request, file_format):
    if file_format not in FORMATS:
        raise Http404
    pick = _call_and_type(request)
    call, project_type = pick.call, pick.project_type
    kind = request.GET.get("list", exports.RANKING)
    if kind not in exports.TITLES:
        raise Http404
    rows = exports.list_rows(ranking=selectors.get_ranking(call=call, project_type=project_type), kind=kind)
    if file_format == "xlsx":
        data = exports.ranking_workbook(call=call, project_type=project_type, rows=rows, kind=kind)
    else:
        data = exports.ranking_pdf(call=call, project_type=project_type, rows=rows, kind=kind)
    return serve_generated_file(
        request,
        content=data,
        filename=exports.list_filename(call=call, project_type=project_type, kind=kind, extension=file_format),
        content_type=FORMATS[file_format],
        event="scoring:export",
        target=project_type,
        details={"list": exports.TITLES[kind], "format": file_format, "rows": len(rows)},
    )
