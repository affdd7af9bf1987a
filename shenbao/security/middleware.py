"""Request-time enforcement: the idle timeout, then the second factor and password expiry before any page.

Order in MIDDLEWARE: IdleSessionMiddleware after MessageMiddleware (it leaves a message for the log-in page);
SecurityGateMiddleware after django-otp's OTPMiddleware (it reads `user.is_verified()`).
Requests under the API prefix get JSON answers instead of redirects to HTML pages.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import resolve_url
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from . import sessions
from .passwords import is_password_expired
from .policy import second_factor_required
from .second_factor import has_confirmed_device

API_PREFIX = "/api/"

# Pages a user may still open while the second factor is outstanding, or while the password has expired.
SECOND_FACTOR_EXEMPT = frozenset({"security:otp_verify", "security:otp_enrol", "accounts:logout", "set_language"})
PASSWORD_EXEMPT = SECOND_FACTOR_EXEMPT | {"accounts:password_change", "accounts:password_change_done"}


def _is_api(request):
    return request.path_info.startswith(API_PREFIX)


def _redirect(request, url):
    if request.headers.get("HX-Request") == "true":
        # htmx would swap the target page into a fragment; make the browser navigate instead.
        response = HttpResponse(status=200)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def _with_next(request, url):
    if request.method != "GET":
        return url
    return f"{url}?{urlencode({'next': request.get_full_path()})}"


class IdleSessionMiddleware:
    """会话超时: a signed-in session unused for SHENBAO_SESSION_IDLE_TIMEOUT seconds is ended on the server."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            idle = sessions.idle_for(request)
            if idle is not None and idle >= settings.SHENBAO_SESSION_IDLE_TIMEOUT:
                return self._timed_out(request)
            sessions.touch(request)
        response = self.get_response(request)
        if request.user.is_authenticated:
            sessions.sync_session_key(request)
        return response

    def _timed_out(self, request):
        path = request.get_full_path() if request.method == "GET" else None
        sessions.end_idle_session(request=request)
        message = _("您已超过 %(minutes)d 分钟未操作，为保护账户安全，系统已自动退出。请重新登录。") % {
            "minutes": settings.SHENBAO_SESSION_IDLE_TIMEOUT // 60
        }
        if _is_api(request):
            return JsonResponse({"detail": message}, status=401)
        messages.warning(request, message)
        if path is None:
            return _redirect(request, resolve_url(settings.LOGIN_URL))
        return _redirect(request, redirect_to_login(path).url)


class SecurityGateMiddleware:
    """Before anything else: the second factor (when required), then a change of an expired password."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            response = self._gate(request, user)
            if response is not None:
                return response
        return self.get_response(request)

    @staticmethod
    def _view_name(request):
        try:
            return resolve(request.path_info).view_name
        except Resolver404:
            return None

    def _gate(self, request, user):
        if second_factor_required(user) and not user.is_verified():
            if self._view_name(request) in SECOND_FACTOR_EXEMPT:
                return None
            if _is_api(request):
                return JsonResponse({"detail": _("请先在网页上完成动态口令验证。")}, status=403)
            target = "security:otp_verify" if has_confirmed_device(user=user) else "security:otp_enrol"
            return _redirect(request, _with_next(request, resolve_url(target)))
        if is_password_expired(user):
            if self._view_name(request) in PASSWORD_EXEMPT:
                return None
            message = _("您的密码已使用超过 %(days)d 天，请先修改密码再继续使用系统。") % {
                "days": settings.SHENBAO_PASSWORD_MAX_AGE_DAYS
            }
            if _is_api(request):
                return JsonResponse({"detail": message}, status=403)
            messages.warning(request, message)
            return _redirect(request, resolve_url("accounts:password_change"))
        return None
