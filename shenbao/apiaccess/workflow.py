"""The service account's workflow, declared as data: active → revoked (with the reason), never back.

Expiry is a date, not a state: an account past `expires_at` is refused by the key check while it still reads
「有效」 here, and its list row says 「已过期」.
"""

from django.utils.translation import gettext_lazy as _

from shenbao.core.transitions import Machine, State, Transition, register

from .models import ServiceAccount

S = ServiceAccount.Status

MACHINE = register(
    Machine(
        name="api",  # audit event api:revoke
        model="apiaccess.ServiceAccount",
        noun=_("接口服务账号"),
        subject="account",
        states=(
            State(S.ACTIVE, S.ACTIVE.label, "success"),
            State(S.REVOKED, S.REVOKED.label, "secondary", final=True),
        ),
        transitions=(
            Transition(
                "revoke",
                _("吊销"),
                (S.ACTIVE,),
                S.REVOKED,
                "may_revoke",
                effects=("record_revocation",),
                requires_comment=True,
            ),
        ),
        registries={"actor": "shenbao.apiaccess.steps.ACTORS", "effect": "shenbao.apiaccess.steps.EFFECTS"},
    )
)
