"""URLs of the nginx tests' upstream (tests/deploy/test_nginx_site.py): two tiny views behind the real middleware.

`accel-download/` answers the way shenbao/core/files.py does with SHENBAO_ACCEL_REDIRECT_PREFIX set (contracts,
point 3): an empty body, Django's download headers, and X-Accel-Redirect naming the URL-quoted storage name.
"""

from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header


def accel_download(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(b"", content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename="申报书.pdf")
    response["X-Accel-Redirect"] = "/_protected/media/" + quote(settings.DEPLOY_TEST_MEDIA_NAME)
    add_never_cache_headers(response)
    return response


def echo_headers(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(
        {
            "x_forwarded_for": request.headers.get("X-Forwarded-For", ""),
            "x_forwarded_proto": request.headers.get("X-Forwarded-Proto", ""),
            "x_forwarded_host": request.headers.get("X-Forwarded-Host", ""),
            "x_request_id": request.headers.get("X-Request-ID", ""),
        }
    )
    # As the production profile would send it; nginx must hide it and send its own, once.
    response["Strict-Transport-Security"] = "max-age=60"
    return response


urlpatterns = [
    path("accel-download/", accel_download),
    path("echo-headers/", echo_headers),
]
