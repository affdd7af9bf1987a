"""Authentication of `/api/v1/` by a service account's key (`Authorization: Bearer sbk_…`), and the audit of every
call made with a key.

`ServiceKeyAuth` (a django-ninja auth class, tried before the session) answers the acting user of a usable key;
an unknown, expired or revoked key is refused with 401 at once (the session is not tried: a caller that sent a
key meant it). It notes what it found on the request; `ServiceKeyAuditMiddleware` writes one audit entry per
request that carried a key, after the response, with its status — the one place, so no endpoint can forget it.
Calls are counted per key by the one rate limiter (`SHENBAO_API_RATE_LIMIT`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from shenbao.core.ratelimit import Limit, hit, limit_from_settings

from .keys import prefix_of
from .models import ServiceAccount
from .selectors import acting_user_of, find_account_by_key, is_usable
from .services import record_api_call

ATTRIBUTE = "service_key_check"


@dataclass
class KeyCheck:
    outcome: str  # "accepted", "unknown", "expired", "revoked", "limited"; "unchecked": never reached the API
    account: ServiceAccount | None = None


class KeyRateLimited(Exception):
    """More calls with one key in the window than `SHENBAO_API_RATE_LIMIT` allows (answered 429)."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("rate limited")
        self.retry_after = retry_after


def api_rate_limit() -> Limit:
    return limit_from_settings("SHENBAO_API_RATE_LIMIT", attempts=120, window=60)


def _check(key: str) -> KeyCheck:
    account = find_account_by_key(key=key)
    if account is None:
        return KeyCheck("unknown")
    if is_usable(account):
        return KeyCheck("accepted", account)
    return KeyCheck("revoked" if account.status == ServiceAccount.Status.REVOKED else "expired", account)


class ServiceKeyAuth(HttpBearer):
    """Bearer key of a service account; the operation sees `request.auth` = the account's acting user."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        check = _check(token)
        setattr(request, ATTRIBUTE, check)
        if check.account is None or check.outcome != "accepted":
            raise AuthenticationError
        limit = api_rate_limit()
        if hit(scope="api-key", ident=check.account.key_prefix, limit=limit) > limit.attempts:
            check.outcome = "limited"
            raise KeyRateLimited(retry_after=limit.window)
        return acting_user_of(check.account)


class SignedInSession(SessionAuth):
    """The session with Django's CSRF check, as `django_auth`, but a request without a signed-in user is simply not
    authenticated by it (401), instead of failing the CSRF check first (403): the same answer for every anonymous
    caller, whatever the method."""

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


def _bearer_key(request: HttpRequest) -> str | None:
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    return key.strip() if scheme.lower() == "bearer" else None


class ServiceKeyAuditMiddleware:
    """One audit entry for every request that carried a bearer key, whatever became of it (also a key sent to a
    URL that does not exist: the entry then names only the prefix the key showed)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        key = _bearer_key(request)
        if key is not None:
            check: KeyCheck = getattr(request, ATTRIBUTE, None) or KeyCheck("unchecked")
            record_api_call(
                request=request,
                status=response.status_code,
                account=check.account,
                key_prefix=prefix_of(key),
                outcome=check.outcome,
            )
        return response
