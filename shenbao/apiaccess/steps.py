"""What the service account's workflow (`workflow.MACHINE`) names. Called by `core.transitions.fire` under the
account's row lock."""

import datetime
from typing import Any

from .models import ServiceAccount
from .rules import may_revoke


def record_revocation(*, account: ServiceAccount, actor: Any, payload: Any, at: datetime.datetime) -> None:
    account.revoked_by, account.revoked_at, account.revoke_reason = actor, at, payload["comment"]


ACTORS = {"may_revoke": may_revoke}
EFFECTS = {"record_revocation": record_revocation}
