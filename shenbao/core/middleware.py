"""Request-wide rules: the language (Simplified Chinese unless chosen otherwise) and the refusal of NUL characters."""

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import gettext_lazy

from shenbao.audit.network import client_ip

from . import ratelimit


class ChosenLanguageMiddleware(MiddlewareMixin):
    """Replaces Django's LocaleMiddleware.

    The platform's working language is Chinese; a browser that happens to send `Accept-Language: en` (a default
    install, a headless test browser) must still get the Chinese page. Only the cookie written by the language
    switch (`set_language`) selects English.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        try:
            language = translation.get_supported_language_variant(language) if language else settings.LANGUAGE_CODE
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


NUL_MESSAGE = gettext_lazy("请求中含有不允许的空字符（NUL），已拒绝。请检查所填写或粘贴的内容。")


def _has_nul(request):
    """A NUL anywhere a value can reach the database from: the path, the query, the form fields, a JSON body.

    PostgreSQL refuses NUL in text (an error 500 deep in a view), and no legitimate text contains one; files are
    binary and are not looked at (their bytes are checked by the upload pipeline).
    """
    if "\x00" in request.path:
        return True
    fields = [request.GET]
    content_type = request.content_type or ""
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            fields.append(request.POST)
        elif content_type == "application/json" or content_type.endswith("+json"):
            body = request.body
            if b"\x00" in body or b"\\u0000" in body.lower():
                return True
    return any(
        "\x00" in key or any("\x00" in value for value in values) for data in fields for key, values in data.lists()
    )


class RejectNulMiddleware:
    """Answer 400 to any request carrying a NUL character (one rule for every form, query and API body);
    API paths get the API's JSON error shape, pages the Chinese 400 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": str(NUL_MESSAGE)}, status=400)
            return HttpResponseBadRequest(
                render_to_string("400.html", {"message": NUL_MESSAGE}, request=request), content_type="text/html"
            )
        return self.get_response(request)


# Generated documents and exports: every such URL ends in one of these (documents, lists, ledgers, the audit CSV).
EXPENSIVE_SUFFIXES = (".pdf", ".docx", ".xlsx", ".csv")
BUSY_MESSAGE = gettext_lazy("您同时生成的文件过多或过于频繁，请等待当前文件下载完成后再试。")


class ExpensiveWorkLimitMiddleware:
    """Rendering a PDF or building a workbook costs seconds of a worker: one person (or one address, when not
    signed in) may have at most a few in progress and a bounded number per minute, so that a burst of
    downloads cannot hold every worker while others wait at the log-in page. Beyond that: 429 with Retry-After.

    Limits (`SHENBAO_EXPENSIVE_LIMITS`, from the environment; 2 and 30 by default): "concurrent" (released when the
    response is ready) and "per_minute"; counted in the shared store, so they hold across workers and nodes.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.endswith(EXPENSIVE_SUFFIXES):
            return self.get_response(request)
        configured = settings.SHENBAO_EXPENSIVE_LIMITS
        user = getattr(request, "user", None)
        ident = f"user:{user.pk}" if user is not None and user.is_authenticated else f"addr:{client_ip(request)}"
        per_minute = ratelimit.Limit(int(configured["per_minute"]), 60)
        concurrent = ratelimit.Limit(int(configured["concurrent"]), int(configured.get("longest_seconds", 120)))
        if not ratelimit.allow(scope="expensive", ident=ident, limit=per_minute):
            return self._busy(request)
        with ratelimit.Slot(scope="expensive-running", ident=ident, limit=concurrent) as granted:
            if not granted:
                return self._busy(request)
            return self.get_response(request)

    def _busy(self, request):
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": str(BUSY_MESSAGE)}, status=429)
        else:
            page = render_to_string("400.html", {"message": BUSY_MESSAGE, "title": BUSY_MESSAGE}, request=request)
            response = HttpResponse(page, status=429, content_type="text/html")
        response["Retry-After"] = "30"
        return response
