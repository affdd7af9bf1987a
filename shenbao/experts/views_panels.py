"""Pages of the panels (评审专家组) for the call administrator: forming them, assigning, swapping experts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from shenbao.calls.picker import CallPickerForm, pick_call
from shenbao.core.forms import add_service_errors
from shenbao.core.http import error_messages, or_404, page_of, require_permission

from . import selectors, services
from .forms import AddMembersForm, PanelCreateForm, PanelForm, SessionForm, SwapForm


def _create_form(call, data=None):
    initial = {"experts_per_application": call.experts_per_application, "exclude_same_county": True}
    return PanelCreateForm(data, initial=initial, project_types=call.project_types.order_by("sort_order"), call=call)


@login_required
@require_safe
def panels(request):
    pick = pick_call(request, permission="experts.manage_pool")
    call = pick.call
    context = {
        "call": call,
        "pick": pick,
        "picker": CallPickerForm(pick),
        "overview": selectors.list_panel_overview(user=request.user, call=call),
        "form": _create_form(call),
    }
    return render(request, "experts/panels.html", context)


@login_required
@require_POST
def panel_create(request):
    call = pick_call(request, permission="experts.manage_pool").call
    form = _create_form(call, request.POST)
    if form.is_valid():
        try:
            panel = services.create_panel(call=call, actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            for text in error_messages(error):
                messages.error(request, text)
        else:
            messages.success(request, _("专家组已组建，请添加成员。"))
            return redirect("experts:panel_detail", public_id=panel.public_id)
    else:
        messages.error(request, _("请检查专家组设置。"))
    return redirect(f"{reverse('experts:panels')}?{urlencode({'call': call.slug})}")


def _panel_context(request, panel, form):
    members = list(selectors.list_panel_members(panel=panel))
    return {
        "panel": panel,
        "form": form,
        "members": members,
        "add_form": AddMembersForm(candidates=selectors.list_addable_experts(user=request.user, panel=panel)),
        "page_obj": page_of(request, selectors.list_panel_applications(panel=panel)),
        "sessions": selectors.list_sessions(panel=panel),
        "session_form": SessionForm(),
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def panel_detail(request, public_id):
    require_permission(request.user, "experts.manage_pool")
    panel = or_404(selectors.get_panel, user=request.user, public_id=public_id)
    initial = {
        "name": panel.name,
        "experts_per_application": panel.experts_needed,
        "exclude_same_county": panel.exclude_same_county,
        "chair": panel.chair,
    }
    form = PanelForm(
        request.POST or None, initial=initial, members=selectors.list_panel_chairs(panel=panel), call=panel.call
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_panel(panel=panel, actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("专家组设置已保存。"))
            return redirect("experts:panel_detail", public_id=panel.public_id)
    return render(request, "experts/panel_detail.html", _panel_context(request, panel, form))


@login_required
@require_POST
def panel_members_add(request, public_id):
    require_permission(request.user, "experts.manage_pool")
    panel = or_404(selectors.get_panel, user=request.user, public_id=public_id)
    form = AddMembersForm(request.POST, candidates=selectors.list_addable_experts(user=request.user, panel=panel))
    if form.is_valid():
        experts = [profile.user for profile in form.cleaned_data["experts"]]
        try:
            added = services.add_panel_members(panel=panel, actor=request.user, experts=experts, request=request)
        except ValidationError as error:
            for text in error_messages(error):
                messages.error(request, text)
        else:
            messages.success(request, _("已添加%(count)s名成员。") % {"count": len(added)})
    else:
        messages.error(request, _("请选择要添加的专家。"))
    return redirect("experts:panel_detail", public_id=panel.public_id)


@login_required
@require_POST
def panel_member_remove(request, public_id, expert_id):
    require_permission(request.user, "experts.manage_pool")
    panel = or_404(selectors.get_panel, user=request.user, public_id=public_id)
    expert = selectors.list_panel_chairs(panel=panel).filter(public_id=expert_id).first()
    if expert is None:
        raise Http404
    try:
        services.remove_panel_member(panel=panel, actor=request.user, expert=expert, request=request)
    except ValidationError as error:
        for text in error_messages(error):
            messages.error(request, text)
    else:
        messages.success(request, _("已将%(name)s移出专家组。") % {"name": expert})
    return redirect("experts:panel_detail", public_id=panel.public_id)


@login_required
@require_POST
def panel_assign(request, public_id):
    require_permission(request.user, "experts.manage_pool")
    panel = or_404(selectors.get_panel, user=request.user, public_id=public_id)
    try:
        outcome = services.assign_experts(panel=panel, actor=request.user, request=request)
    except ValidationError as error:
        for text in error_messages(error):
            messages.error(request, text)
    else:
        if outcome.created:
            messages.success(
                request,
                _("已为%(applications)s项申报新分配%(count)s人次专家。")
                % {"applications": len({row.application_id for row in outcome.created}), "count": len(outcome.created)},
            )
        else:
            messages.info(request, _("每项申报的评审专家均已足额，无需分配。"))
    return redirect("experts:panel_detail", public_id=panel.public_id)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def assignment_swap(request, public_id):
    require_permission(request.user, "experts.manage_pool")
    assignment = or_404(selectors.get_managed_assignment, user=request.user, public_id=public_id)
    if not assignment.is_active:
        raise Http404
    panel = assignment.panel
    options = selectors.list_replacement_options(panel=panel, application=assignment.application)
    form = SwapForm(request.POST or None, options=options)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.swap_assignment(
                assignment=assignment,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                replacement=form.cleaned_data["replacement"],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已将%(old)s更换为%(new)s。") % {"old": assignment.expert, "new": new.expert})
            return redirect("experts:panel_detail", public_id=panel.public_id)
    return render(request, "experts/assignment_swap.html", {"assignment": assignment, "panel": panel, "form": form})
