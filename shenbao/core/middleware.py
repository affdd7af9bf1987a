"""Request-wide rules: the language (Simplified Chinese unless chosen otherwise) and the refusal of NUL characters."""

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import gettext_lazy


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
