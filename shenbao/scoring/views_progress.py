"""评审进度: per panel, which expert has submitted which sheet; reminding the late ones; reopening a sheet.

The call administrator sees every panel of the city's calls; a panel chair sees the panels they chair. Other
panels answer 404. Only sheet states are shown here, never points (experts never see each other's scores).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from shenbao.core.http import error_messages, or_404, page_of

from . import selectors, services
from .forms import ReasonForm
from .rules import administered_city_id, is_expert_user


@login_required
@require_safe
def panel_list(request):
    if administered_city_id(request.user) is None and not is_expert_user(request.user):
        raise PermissionDenied
    page = page_of(request, selectors.list_visible_panels(user=request.user))
    return render(request, "scoring/panel_list.html", {"page_obj": page})


@login_required
@require_safe
def panel_progress(request, public_id):
    panel = or_404(selectors.get_visible_panel, user=request.user, public_id=public_id)
    progress = selectors.get_panel_progress(panel=panel)
    context = {
        "panel": panel,
        "progress": progress,
        "can_remind": request.user.has_perm("scoring.remind_panel", panel),
        "can_reopen": request.user.has_perm("scoring.reopen_in_panel", panel),
        "reason_form": ReasonForm(),
    }
    return render(request, "scoring/panel_progress.html", context)


@login_required
@require_POST
def remind(request, public_id):
    panel = or_404(selectors.get_visible_panel, user=request.user, public_id=public_id)
    if not request.user.has_perm("scoring.remind_panel", panel):
        raise PermissionDenied
    try:
        reminder = services.remind_late_experts(panel=panel, actor=request.user, request=request)
    except ValidationError as error:
        for text in error_messages(error):
            messages.error(request, text)
    else:
        messages.success(
            request,
            _("已提醒 %(experts)s 位专家，共 %(sheets)s 份评分表未提交。")
            % {"experts": reminder.expert_count, "sheets": reminder.sheet_count},
        )
    return redirect("scoring:progress", public_id=panel.public_id)


@login_required
@require_POST
def reopen(request, public_id):
    """重新打开 a submitted sheet: the chair of its panel (not their own sheet) or the call administrator."""
    sheet = or_404(selectors.get_reopenable_sheet, user=request.user, public_id=public_id)
    panel = sheet.assignment.panel
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写重新打开评分表的原因。"))
    else:
        try:
            services.reopen_sheet(sheet=sheet, actor=request.user, reason=form.cleaned_data["reason"], request=request)
        except (ValidationError, PermissionDenied) as error:
            for text in error_messages(error):
                messages.error(request, text)
        else:
            expert = sheet.assignment.expert
            messages.success(
                request,
                _("已重新打开%(expert)s对%(number)s的评分表，并已通知该专家。")
                % {"expert": expert.full_name or expert.username, "number": sheet.assignment.application.number},
            )
    return redirect("scoring:progress", public_id=panel.public_id)
