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
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import django_auth

from shenbao.accounts.roles import Role
from shenbao.apiaccess.auth import KeyRateLimited, ServiceKeyAuth, SignedInSession
from shenbao.applications.api import router as applications_router
from shenbao.awards.api import router as awards_router
from shenbao.calls.api import router as calls_router
from shenbao.notices.api import router as notices_router
from shenbao.scoring.api import router as scoring_router

logger = logging.getLogger("django.request")
# The same answer for an object outside the caller's scope and one that does not exist (never 403).
NOT_FOUND = gettext_lazy("未找到该对象，或您无权访问。")
# No session, or a key that is unknown, expired or revoked: one answer, so a caller learns nothing about a key.
UNAUTHENTICATED = gettext_lazy("未登录，或密钥无效、已过期或已吊销。")


def staff_and_api_clients_only(view):
    """The schema is for the platform's staff and the API's clients (experts score through it; other systems with
    a service account's key), not for applicant units or the public: 401 without a log-in or with a key that is
    unknown, expired or revoked, 404 for an applicant."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.headers.get("Authorization", "").lower().startswith("bearer "):
            try:
                user = ServiceKeyAuth()(request)
            except AuthenticationError:
                return JsonResponse({"detail": str(UNAUTHENTICATED)}, status=401)
            except KeyRateLimited as limited:
                response = JsonResponse({"detail": _("请求过于频繁，请稍后重试。")}, status=429)
                response["Retry-After"] = str(limited.retry_after)
                return response
            return view(request, *args, **kwargs)
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
    # The interactive documentation is v1's (vendored Swagger UI); this API keeps only its schema, for staff.
    docs_url=None,
    docs_decorator=staff_and_api_clients_only,
)


# /api/v1/: the versioned API for other systems. A service account's key (Bearer, tried first) or the session with
# CSRF, as above. Read endpoints for calls, applications, results and designated units, and the scoring
# operations again (the /api/scoring/ paths stay for the clients that use them). Every call made with a key is
# audited by `shenbao.apiaccess.auth.ServiceKeyAuditMiddleware`.
api_v1 = NinjaAPI(
    title="申报评审平台 API",
    version="v1",
    description=gettext_lazy(
        "供其他系统读取本市申报通知、申报、公示结果和授牌单位的接口。以系统管理员创建的接口服务账号密钥认证："
        "请求头 Authorization: Bearer <密钥>。"
    ),
    urls_namespace="api-v1",
    auth=[ServiceKeyAuth(), SignedInSession()],
    docs_url=None,  # the documentation page is a view of our own (`shenbao.apiaccess.views.api_docs`)
    docs_decorator=staff_and_api_clients_only,
)


def _answer_errors(each: NinjaAPI) -> None:
    """Errors in the API's JSON shape: 404 worded like the pages (out of scope = does not exist), 422 for
    malformed input, 429 with Retry-After for a key over its rate, and 500 without detail (logged like Django's)."""

    def not_found(request, exc):
        return each.create_response(request, {"detail": NOT_FOUND}, status=404)

    def malformed(request, exc):
        return each.create_response(request, {"detail": _("请求数据格式不正确。"), "errors": exc.errors}, status=422)

    def unauthenticated(request, exc):
        return each.create_response(request, {"detail": UNAUTHENTICATED}, status=401)

    def rate_limited(request, exc):
        response = each.create_response(request, {"detail": _("请求过于频繁，请稍后重试。")}, status=429)
        response["Retry-After"] = str(exc.retry_after)
        return response

    def server_error(request, exc):
        logger.error("API error: %s %s", request.method, request.path, exc_info=exc, extra={"status_code": 500})
        return each.create_response(request, {"detail": _("服务器内部错误，请稍后重试。")}, status=500)

    each.add_exception_handler(Http404, not_found)
    each.add_exception_handler(NinjaValidationError, malformed)
    each.add_exception_handler(AuthenticationError, unauthenticated)
    each.add_exception_handler(KeyRateLimited, rate_limited)
    each.add_exception_handler(Exception, server_error)


for each in (api, api_v1):
    _answer_errors(each)

api.add_router("/scoring/", scoring_router)
for router in (calls_router, applications_router, notices_router, awards_router):
    api_v1.add_router("/", router)
api_v1.add_router("/scoring/", scoring_router)
