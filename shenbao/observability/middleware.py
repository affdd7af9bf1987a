"""The request id of every request, and the load balancer's probes answered before anything else.

Order in MIDDLEWARE: `RequestIdMiddleware` first, so every line logged while a request is served (other
middleware's included) carries its id; `ProbeMiddleware` right after Django's SecurityMiddleware (which exempts the
probes from the HTTPS redirect, SECURE_REDIRECT_EXEMPT, and adds its headers), before sessions, authentication,
the host check, the language, the audit context and the rate limits: a probe touches none of them.
"""

import datetime as dt
import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from shenbao.audit.network import parse_ip, trusted_proxies

from . import context, views

HEADER = "X-Request-ID"
# nginx stamps when it has received the whole request (`proxy_set_header X-Request-Start "t=${msec}"`): seconds
# since the epoch with milliseconds.
ARRIVAL_HEADER = "X-Request-Start"
ARRIVAL_STAMP = re.compile(r"t=(\d{9,11}\.\d{3})")
# A stamp older than this is not believed (a clock that jumped, a replayed header): the request then arrived now.
ARRIVAL_WINDOW = dt.timedelta(seconds=60)


def _from_trusted_proxy(request: HttpRequest) -> bool:
    peer = parse_ip(request.META.get("REMOTE_ADDR"))
    return peer is not None and any(peer in network for network in trusted_proxies())


def choose_request_id(request: HttpRequest) -> str:
    """The proxy's X-Request-ID when a trusted proxy (AUDIT_TRUSTED_PROXIES) sent a well-formed one, else a new id.

    Anyone else's header is ignored: a client must not be able to pick the correlation id of audit entries.
    """
    offered = request.headers.get(HEADER)
    if offered and _from_trusted_proxy(request) and context.is_valid_request_id(offered):
        return offered
    return context.new_request_id()


def choose_arrival(request: HttpRequest, *, now: dt.datetime) -> dt.datetime:
    """When the request arrived: the trusted proxy's stamp when it is well formed, not in the future and within
    `ARRIVAL_WINDOW`, else `now`. A deadline is judged at this instant (`core.transitions.fire`): a submission
    that arrived in the deadline's last second is in time even when it waited for a worker or a lock until after
    it. Anyone else's header is ignored, so a client cannot date its own request back."""
    offered = request.headers.get(ARRIVAL_HEADER)
    match = ARRIVAL_STAMP.fullmatch(offered or "")
    if match is None or not _from_trusted_proxy(request):
        return now
    stamp = dt.datetime.fromtimestamp(float(match.group(1)), tz=dt.UTC)
    return stamp if now - ARRIVAL_WINDOW <= stamp <= now else now


class RequestIdMiddleware:
    """Dates the request (`request.arrived_at`, `choose_arrival`) before any other middleware runs.

    Names the request: `request.request_id`, the X-Request-ID response header, and the context the log lines
    and audit entries read. The context stays set until the response is closed (`request_finished`, see
    `context.forget_request`), after this middleware returns: Django logs a 4xx response and gunicorn writes its
    access line only then, and both belong to this request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.arrived_at = choose_arrival(request, now=timezone.now())  # type: ignore[attr-defined]
        request_id = choose_request_id(request)
        request.request_id = request_id  # type: ignore[attr-defined]
        context.request_id.set(request_id)
        context.user_id.set(None)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response

    def process_view(self, request: HttpRequest, *args: object) -> None:
        # Called after every middleware's request phase: authentication has named the user by now.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            context.user_id.set(user.pk)


class ProbeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.probes: dict[str, Callable[[HttpRequest], HttpResponse]] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.probes is None:
            # Resolved on the first request (the URLconf is not loaded when middleware is built).
            try:
                self.probes = {
                    reverse("observability:healthz"): views.healthz,
                    reverse("observability:readyz"): views.readyz,
                }
            except NoReverseMatch:  # a URLconf without the probes (some tests mount their own)
                self.probes = {}
        probe = self.probes.get(request.path_info)
        if probe is not None:
            return probe(request)
        return self.get_response(request)
