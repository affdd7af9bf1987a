"""延期提交's workflow, declared as data: granted (the row is created so) → revoked, with a reason.

"grant" has no source state: `extension_services.grant_deadline_extension` creates the row in its target state,
audits it and tells the unit through the machine's hook (`core.transitions.announce`). "revoke" is fired by the
one transition helper (`core.transitions.fire`). The hook that tells the unit lives in the notifications app and
is named here by dotted path (calls sits below notifications). Who acts: the call's administrator (技能办).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from shenbao.core.transitions import Machine, State, Transition, announce, fire, register

from .models import DeadlineExtension, ExtensionState
from .rules import administers_call

S = ExtensionState


def administers_extension(user: Any, extension: DeadlineExtension) -> bool:
    return bool(administers_call(user, extension.call))


def record_revocation(*, extension: DeadlineExtension, actor: Any, payload: Any, at: datetime.datetime) -> None:
    extension.revoked_at = at


ACTORS = {"administers_extension": administers_extension}
EFFECTS = {"record_revocation": record_revocation}

MACHINE = register(
    Machine(
        name="calls",  # audit events calls:extension_grant, calls:extension_revoke (set on each step)
        model="calls.DeadlineExtension",
        noun=_("延期提交"),
        subject="extension",
        field="state",
        states=(
            State(S.GRANTED, S.GRANTED.label, badge="success", phrase=_("可在延长后的时间前提交申报。")),
            State(S.REVOKED, S.REVOKED.label, badge="secondary", final=True),
        ),
        transitions=(
            Transition(
                "grant",
                _("批准延期提交"),
                (),
                S.GRANTED,
                "administers_extension",
                notify=("unit",),
                event="calls:extension_grant",
            ),
            Transition(
                "revoke",
                _("撤销延期"),
                (S.GRANTED,),
                S.REVOKED,
                "administers_extension",
                effects=("record_revocation",),
                requires_comment=True,
                notify=("unit",),
                event="calls:extension_revoke",
            ),
        ),
        registries={
            "actor": "shenbao.calls.extension_workflow.ACTORS",
            "effect": "shenbao.calls.extension_workflow.EFFECTS",
        },
        notify="shenbao.notifications.extensions.notify_extension_step",
        lock_related=("call", "unit"),
    )
)


def announce_grant(*, extension: DeadlineExtension, actor: Any, at: datetime.datetime) -> None:
    announce(machine=MACHINE, obj=extension, name="grant", actor=actor, at=at)


def revoke(
    *, extension: DeadlineExtension, actor: Any, comment: str, request: HttpRequest | None = None
) -> DeadlineExtension:
    result: DeadlineExtension = fire(
        machine=MACHINE, obj=extension, name="revoke", actor=actor, comment=comment, request=request
    )
    return result
