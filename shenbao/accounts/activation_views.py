"""The activation page (激活链接) and the system administrator's 重新发送激活链接 button."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from shenbao.core.http import require_permission

from . import activation as activations
from .forms import BootstrapSetPasswordForm
from .models import User

TEMPLATE = "accounts/activate.html"


@never_cache
@require_http_methods(["GET", "POST"])
def activate(request, token):
    if request.user.is_authenticated:
        problem = _("您已登录。激活链接用于为他人的新账号设置密码，请先退出登录后再打开该链接。")
        return render(request, TEMPLATE, {"problem": problem}, status=400)
    try:
        activation = activations.get_activation_for_token(token=token)
    except ValidationError as exc:
        return render(request, TEMPLATE, {"problem": " ".join(exc.messages)}, status=400)
    form = BootstrapSetPasswordForm(activation.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = activations.activate_account(
                token=token, password=form.cleaned_data["new_password1"], request=request
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("账号 %(username)s 已激活，请用新密码登录。") % {"username": user.username})
            return redirect("accounts:login")
    context = {"form": form, "activation": activation, "target": activation.user}
    return render(request, TEMPLATE, context)


@login_required
@require_POST
def resend_activation(request, public_id):
    require_permission(request.user, "accounts.manage_users", hidden=True)
    target = get_object_or_404(User, public_id=public_id)
    try:
        activations.resend_activation(user=target, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        text = _("已向 %(username)s 重新发送激活链接，此前的链接已失效。") % {"username": target.username}
        messages.success(request, text)
    return redirect("accounts:user_list")
