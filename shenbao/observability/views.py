"""/healthz and /readyz for the load balancer and monitoring: JSON, no log-in, never cached.

Answered by `middleware.ProbeMiddleware` before sessions and authentication (and routed here too, so they have a
URL name). They say which check failed and nothing more: the reason goes to the log, not to whoever asks.
"""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

from . import health


def _answer(payload: dict[str, object], status: int) -> JsonResponse:
    response = JsonResponse(payload, status=status)
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up and answering; no database, cache or file is touched."""
    return _answer({"status": "ok"}, 200)


@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """200 when every check passes, 503 naming the failed ones otherwise."""
    results = health.run_checks()
    ready = all(results.values())
    checks = {name: "ok" if passed else "failed" for name, passed in results.items()}
    return _answer({"status": "ok" if ready else "unavailable", "checks": checks}, 200 if ready else 503)
