"""The security administrator's pages (安全管理员): policy, lock-outs, sessions and second-factor resets.

三权分立: only the security administrator may open them; everybody else gets 404, so they are not advertised.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from shenbao.accounts.selectors import get_visible_user, list_active_superuser_names
from shenbao.core.http import error_messages, or_404, page_of, permission_required

from . import lockout, second_factor, sessions
from .forms import SearchForm, UnlockForm
from .policy import active_policy


@require_GET
@permission_required("security.view_policy", hidden=True)
def policy(request):
    context = {"policy": active_policy(), "superusers": list_active_superuser_names()}
    return render(request, "security/policy.html", context)


@require_GET
@permission_required("security.manage_lockouts", hidden=True)
def lockouts(request):
    page = page_of(request, lockout.list_lockouts())
    return render(request, "security/lockouts.html", {"page_obj": page})


@require_POST
@permission_required("security.manage_lockouts", hidden=True)
def unlock(request):
    form = UnlockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择要解除锁定的用户名。"))
        return redirect("security:lockouts")
    username = form.cleaned_data["username"]
    try:
        lockout.unlock(username=username, actor=request.user, request=request)
    except ValidationError as exc:
        for message in error_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("已解除用户名「%(username)s」的登录锁定。") % {"username": username})
    return redirect("security:lockouts")


@require_GET
@permission_required("security.manage_sessions", hidden=True)
def session_list(request):
    page = page_of(request, sessions.list_active_sessions())
    rows = [(tracked, sessions.last_activity(tracked)) for tracked in page]
    current = request.session.get(sessions.TRACK_ID)
    return render(request, "security/sessions.html", {"page_obj": page, "rows": rows, "current": current})


@require_POST
@permission_required("security.manage_sessions", hidden=True)
def terminate_session(request, public_id):
    tracked = or_404(sessions.get_active_session, public_id=public_id)
    sessions.terminate_session(tracked=tracked, actor=request.user, request=request)
    messages.success(request, _("已终止 %(user)s 的会话。") % {"user": tracked.user})
    return redirect("security:sessions")


@require_GET
@permission_required("security.reset_second_factor", hidden=True)
def second_factor_users(request):
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    users = second_factor.list_users_with_device_state(user=request.user, query=query)
    page = page_of(request, users)
    return render(request, "security/second_factor_users.html", {"form": form, "page_obj": page})


@require_POST
@permission_required("security.reset_second_factor", hidden=True)
def reset_second_factor(request, public_id):
    target = or_404(get_visible_user, user=request.user, public_id=public_id)
    try:
        second_factor.reset_second_factor(user=target, actor=request.user, request=request)
    except ValidationError as exc:
        for message in error_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("已重置 %(user)s 的动态口令，该用户下次登录时须重新绑定。") % {"user": target})
    return redirect("security:second_factor_users")
