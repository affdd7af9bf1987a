"""The project's HTTP API root (django-ninja), mounted at /api/ by `shenbao.urls`.

Session authentication (`django_auth`) with Django's CSRF check on every unsafe request, so the API serves the
platform's own pages and signed-in clients with exactly the permissions of the pages. Each app contributes a
router from its own `api.py`; the operations call the same selectors and services as the views.
(django-ninja 1.x has no `csrf=` argument on NinjaAPI any more: the cookie authentication performs the check.)
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import django_auth

from shenbao.scoring.api import router as scoring_router

api = NinjaAPI(
    title="申报评审平台 API",
    version="1",
    urls_namespace="api",
    auth=django_auth,
    # No interactive docs: Swagger UI loads scripts from a CDN, which the CSP forbids. The schema needs a log-in.
    docs_url=None,
    docs_decorator=login_required,
)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "未找到该对象,或您无权访问。"}, status=404)


@api.exception_handler(NinjaValidationError)
def malformed(request, exc):
    return api.create_response(request, {"detail": "请求数据格式不正确。", "errors": exc.errors}, status=422)


api.add_router("/scoring/", scoring_router)
