"""Language selection: Simplified Chinese unless the user picked another language with the switch."""

from django.conf import settings
from django.utils import translation
from django.utils.deprecation import MiddlewareMixin


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
