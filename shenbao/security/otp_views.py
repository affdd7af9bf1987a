"""The signed-in user's own second-factor pages: enrolment (绑定动态口令) and verification after the password.

Both stay reachable while SecurityGateMiddleware holds everything else back.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import second_factor
from .forms import TokenForm


def _next_url(request):
    url = request.POST.get("next") or request.GET.get("next")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(request, name):
    url = resolve_url(name)
    next_url = request.POST.get("next") or request.GET.get("next")
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request):
    user = request.user
    if second_factor.has_confirmed_device(user=user):
        if user.is_verified():
            messages.info(request, _("您已绑定动态口令；如需更换手机，请联系安全管理员重置。"))
            return redirect(_next_url(request))
        return redirect(_with_next(request, "security:otp_verify"))
    try:
        device = second_factor.start_enrolment(user=user)
    except ValidationError:
        return redirect(_with_next(request, "security:otp_verify"))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if second_factor.confirm_enrolment(request=request, token=form.cleaned_data["token"]):
            messages.success(request, _("动态口令已绑定。以后登录时，输入密码后还须输入手机上显示的动态口令。"))
            return redirect(_next_url(request))
        form.add_error("token", _("动态口令不正确。请确认手机时间准确，并输入当前显示的数字。"))
    context = {
        "form": form,
        "qr_code": second_factor.qr_code_data_uri(device),
        "secret": second_factor.secret_for_manual_entry(device),
        "next": request.POST.get("next") or request.GET.get("next", ""),
    }
    return render(request, "security/otp_enrol.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if not second_factor.has_confirmed_device(user=user):
        return redirect(_with_next(request, "security:otp_enrol"))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if second_factor.verify_second_factor(request=request, token=form.cleaned_data["token"]):
            return redirect(_next_url(request))
        form.add_error("token", _("动态口令不正确，或尝试过于频繁，请稍候再输入当前显示的数字。"))
    return render(
        request,
        "security/otp_verify.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
    )
