"""管理员角色: the three administrators request and confirm changes to their roles (everyone else: 404)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shenbao.core.http import error_messages, or_404, permission_required

from . import admin_roles
from .forms import AdminRoleDecisionForm, AdminRoleRequestForm
from .models import AdminRoleChange, User


def _pending(public_id):
    return AdminRoleChange.objects.select_related("target", "requested_by").get(
        public_id=public_id, status=AdminRoleChange.Status.PENDING
    )


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required("accounts.change_admin_roles", hidden=True)
def admin_role_changes(request):
    form = AdminRoleRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target = User.objects.filter(username=data["username"], is_active=True).select_related("organisation").first()
        if target is None:
            form.add_error("username", _("没有该用户名的有效账号。"))
        else:
            try:
                admin_roles.request_change(
                    target=target,
                    role=data["role"],
                    action=data["action"],
                    reason=data["reason"],
                    requested_by=request.user,
                    request=request,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("申请已提交，须由另一位管理员确认后生效；其他管理员已收到通知。"))
                return redirect("accounts:admin_roles")
    changes = AdminRoleChange.objects.select_related("target", "requested_by", "decided_by").order_by(
        "-requested_at", "-pk"
    )
    context = {
        "form": form,
        "pending": [change for change in changes.filter(status=AdminRoleChange.Status.PENDING)],
        "recent": changes.exclude(status=AdminRoleChange.Status.PENDING)[:30],
        "admins": admin_roles.list_admins(),
    }
    return render(request, "accounts/admin_roles.html", context)


def _decide(request, public_id, decide, done_message):
    change = or_404(_pending, public_id=public_id)
    form = AdminRoleDecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        decide(change=change, note=note, request=request)
    except ValidationError as error:
        for text in error_messages(error):
            messages.error(request, text)
    else:
        messages.success(request, done_message)
    return redirect("accounts:admin_roles")


@require_POST
@permission_required("accounts.change_admin_roles", hidden=True)
def confirm_admin_role_change(request, public_id):
    def decide(**kwargs):
        return admin_roles.confirm_change(confirmed_by=request.user, **kwargs)

    return _decide(request, public_id, decide, _("已确认，角色变更已生效。"))


@require_POST
@permission_required("accounts.change_admin_roles", hidden=True)
def reject_admin_role_change(request, public_id):
    def decide(**kwargs):
        return admin_roles.reject_change(decided_by=request.user, **kwargs)

    return _decide(request, public_id, decide, _("申请已拒绝或撤回，角色未变更。"))
