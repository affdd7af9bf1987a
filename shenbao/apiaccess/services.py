"""Writes about service accounts: created and revoked by the system administrator, each step audited."""

import datetime

import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from shenbao.accounts.models import User
from shenbao.accounts.roles import ROLE_RULES, Role
from shenbao.audit.events import Event
from shenbao.audit.services import record_event
from shenbao.core.transitions import fire
from shenbao.organisations.models import Organisation
from shenbao.organisations.selectors import get_city_of_region

from .keys import digest_of, make_key
from .models import ServiceAccount
from .rules import SERVICE_ACCOUNT_ROLES
from .workflow import MACHINE


def _check_manager(actor: User) -> None:
    if not rules.has_perm("apiaccess.manage_service_accounts", actor):
        raise PermissionDenied(_("只有系统管理员可以管理接口服务账号。"))


def create_service_account(
    *,
    name: str,
    organisation: Organisation,
    role: str,
    expires_on: datetime.date,
    actor: User,
    request: HttpRequest | None = None,
    at: datetime.datetime | None = None,
) -> tuple[ServiceAccount, str]:
    """A new account of `organisation` reading as `role` until the end of `expires_on` (Beijing time), and its key.

    The key is returned once and never stored; the audit entry names the account and its visible prefix.
    """
    _check_manager(actor)
    at = at or timezone.now()
    today = timezone.localdate(at)
    if role not in SERVICE_ACCOUNT_ROLES:
        raise ValidationError({"role": _("服务账号不能使用该角色。")})
    if not ROLE_RULES[Role(role)].allows(organisation) or get_city_of_region(organisation.region) is None:
        raise ValidationError({"organisation": _("该单位不能担任所选角色。")})
    longest = settings.SHENBAO_API_KEY_MAX_DAYS
    if not today <= expires_on <= today + datetime.timedelta(days=longest):
        raise ValidationError({"expires_on": _("有效期须在今天至%(days)s天之内。") % {"days": longest}})
    expires_at = timezone.make_aware(
        datetime.datetime.combine(expires_on + datetime.timedelta(days=1), datetime.time())
    )
    key, prefix = make_key()
    with transaction.atomic():
        account = ServiceAccount.objects.create(
            name=name.strip(),
            organisation=organisation,
            role=role,
            key_prefix=prefix,
            key_digest=digest_of(key),
            expires_at=expires_at,
            created_by=actor,
            created_at=at,
        )
        record_event(
            event=Event.API_ACCOUNT_CREATE,
            actor=actor,
            target=account,
            request=request,
            details={
                "name": account.name,
                "organisation": organisation.name,
                "role": role,
                "key_prefix": prefix,
                "expires_at": expires_at.isoformat(),
            },
        )
    return account, key


def revoke_service_account(
    *, account: ServiceAccount, actor: User, reason: str, request: HttpRequest | None = None
) -> ServiceAccount:
    """吊销: the key stops working at once; who, when and why are kept on the row and in the audit entry."""
    _check_manager(actor)
    return fire(machine=MACHINE, obj=account, name="revoke", actor=actor, comment=reason, request=request)


def record_api_call(
    *,
    request: HttpRequest,
    status: int,
    account: ServiceAccount | None,
    key_prefix: str,
    outcome: str,
) -> None:
    """One audit entry for one call made with a key: the account (or the prefix a refused key showed), method,
    path and status. `outcome` says how the key fared: "accepted", "unknown", "expired", "revoked", "limited", or
    "unchecked" (the request never reached the API, e.g. an unknown URL)."""
    record_event(
        event=Event.API_CALL,
        target=account,
        request=request,
        result="success" if outcome == "accepted" and status < 400 else "failure",
        details={
            "key_prefix": account.key_prefix if account else key_prefix,
            "method": request.method,
            "path": request.path,
            "status": status,
            "outcome": outcome,
        },
    )
