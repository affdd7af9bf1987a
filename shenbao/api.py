"""The project's HTTP API root (django-ninja), mounted at /api/ by `shenbao.urls`.

Session authentication (`django_auth`) with Django's CSRF check on every unsafe request, so the API serves the
platform's own pages and signed-in clients with exactly the permissions of the pages. Each app contributes a
router from its own `api.py`; the operations call the same selectors and services as the views.
(django-ninja 1.x has no `csrf=` argument on NinjaAPI any more: the cookie authentication performs the check.)
"""

import logging
from functools import wraps

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import django_auth

from shenbao.accounts.roles import Role
from shenbao.scoring.api import router as scoring_router

logger = logging.getLogger("django.request")
# The same answer for an object outside the caller's scope and one that does not exist (never 403).
NOT_FOUND = gettext_lazy("未找到该对象，或您无权访问。")


def staff_and_api_clients_only(view):
    """The schema is for the platform's staff and the API's clients (experts score through it), not for applicant
    units or the public: 401 without a log-in, 404 for an applicant."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return JsonResponse({"detail": _("请先登录。")}, status=401)
        if not (set(user.roles) - {Role.APPLICANT}):
            return JsonResponse({"detail": NOT_FOUND}, status=404)
        return view(request, *args, **kwargs)

    return wrapped


api = NinjaAPI(
    title="申报评审平台 API",
    version="1",
    urls_namespace="api",
    auth=django_auth,
    # No interactive docs: Swagger UI loads scripts from a CDN, which the CSP forbids. The schema: staff only.
    docs_url=None,
    docs_decorator=staff_and_api_clients_only,
)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": NOT_FOUND}, status=404)


@api.exception_handler(NinjaValidationError)
def malformed(request, exc):
    return api.create_response(request, {"detail": _("请求数据格式不正确。"), "errors": exc.errors}, status=422)


api.add_router("/scoring/", scoring_router)


@api.exception_handler(Exception)
def server_error(request, exc):
    """An unexpected error answers in the API's JSON shape (no HTML page, no detail), logged like Django's 500s."""
    logger.error("API error: %s %s", request.method, request.path, exc_info=exc, extra={"status_code": 500})
    return api.create_response(request, {"detail": _("服务器内部错误，请稍后重试。")}, status=500)
