"""Reads about service accounts: the system administrator's list, and the key check of every API call."""

import datetime
import hmac
import uuid

from django.db.models import QuerySet
from django.utils import timezone

from shenbao.accounts.models import User
from shenbao.accounts.roles import ROLE_RULES
from shenbao.accounts.selectors import build_acting_user
from shenbao.organisations.models import Organisation
from shenbao.organisations.selectors import list_bodies_with_functions

from .keys import digest_of, prefix_of
from .models import ServiceAccount
from .rules import SERVICE_ACCOUNT_ROLES


def list_service_accounts() -> QuerySet[ServiceAccount]:
    """Every service account, newest first, with its body and the people who created or revoked it."""
    return ServiceAccount.objects.select_related("organisation", "organisation__region", "created_by", "revoked_by")


def get_service_account(*, public_id: uuid.UUID | str) -> ServiceAccount:
    return list_service_accounts().get(public_id=public_id)


def list_service_account_bodies() -> QuerySet[Organisation]:
    """The government bodies that may hold one of the service accounts' roles (a city's bodies)."""
    functions = {function for role in SERVICE_ACCOUNT_ROLES for function in ROLE_RULES[role].functions}
    return list_bodies_with_functions(functions=functions)


def find_account_by_key(*, key: str) -> ServiceAccount | None:
    """The account whose key this is, whatever its state (the caller decides what an expired or revoked key
    gets), or None. Looked up by the visible prefix, then the digests compared in constant time."""
    prefix = prefix_of(key)
    if not prefix:
        return None
    account = list_service_accounts().filter(key_prefix=prefix).first()
    if account is None or not hmac.compare_digest(account.key_digest, digest_of(key)):
        return None
    return account


def is_usable(account: ServiceAccount, *, at: datetime.datetime | None = None) -> bool:
    """Not revoked and not expired at `at` (now)."""
    return account.status == ServiceAccount.Status.ACTIVE and (at or timezone.now()) < account.expires_at


def acting_user_of(account: ServiceAccount) -> User:
    """What the account reads as: a member of its body holding exactly its role (never saved)."""
    return build_acting_user(organisation=account.organisation, role=account.role, name=f"api:{account.key_prefix}")
