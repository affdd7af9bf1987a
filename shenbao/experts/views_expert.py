"""The expert's own pages: their assignments (评审任务) and the 回避 declaration.

The scoring app links each assignment's score sheet from the list (template block `assignment_actions`).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from shenbao.core.forms import add_service_errors
from shenbao.core.http import or_404, page_of, require_permission

from . import selectors, services
from .forms import ReasonForm
from .models import ExpertProfile


@login_required
@require_safe
def my_assignments(request):
    require_permission(request.user, "experts.view_own_assignments")
    try:
        profile = selectors.get_own_profile(user=request.user)
    except ExpertProfile.DoesNotExist:
        profile = None
    context = {
        "profile": profile,
        "masked_phone": services.mask_phone(services.read_phone(profile)) if profile else "",
        # A page at a time: a province's expert can hold scores of tasks across calls (52 in `make bench`).
        "page_obj": page_of(request, selectors.list_active_assignments(expert=request.user)),
        "ended": selectors.list_ended_assignments(expert=request.user)[:50],
    }
    return render(request, "experts/my_assignments.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def recuse(request, public_id):
    require_permission(request.user, "experts.view_own_assignments")
    assignment = or_404(selectors.get_active_assignment, expert=request.user, public_id=public_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.recuse_assignment(
                assignment=assignment, actor=request.user, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已申请回避，该申报不再由您评审。"))
            return redirect("experts:my_assignments")
    return render(request, "experts/recuse.html", {"assignment": assignment, "form": form})
