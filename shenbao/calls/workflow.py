"""The call's own workflow, declared as data: a draft (seen only by its city's call administrators) is published.

`fire_call_transition` is the one way a call changes state: it checks the source state and the guards, writes the
state and records the audit event, in one transaction.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from shenbao.audit.services import record_event

from .models import Call, CallState


class CallTransitionError(Exception):
    """A step that is not allowed now; `reasons` are Chinese sentences for the user."""

    def __init__(self, reasons):
        self.reasons = list(reasons)
        super().__init__("；".join(str(reason) for reason in self.reasons))


def _has_project_types(call):
    return [] if call.project_types.exists() else [_("申报通知至少需要一个项目类别。")]


GUARDS = {"has_project_types": _has_project_types}


@dataclass(frozen=True)
class CallTransition:
    name: str
    label: str
    sources: tuple
    target: str
    event: str  # the audit event recorded
    guards: tuple = ()


CALL_TRANSITIONS = (
    CallTransition(
        "publish", _("发布"), (CallState.DRAFT,), CallState.PUBLISHED, "calls:publish", guards=("has_project_types",)
    ),
)


def get_call_transition(name):
    return next(transition for transition in CALL_TRANSITIONS if transition.name == name)


def call_transitions_from(state):
    return [transition for transition in CALL_TRANSITIONS if state in transition.sources]


def fire_call_transition(*, call, name, actor, request=None):
    """Move `call` along the transition `name`; raises CallTransitionError with the reasons it may not."""
    transition = get_call_transition(name)
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if call.state not in transition.sources:
            raise CallTransitionError([_("申报通知当前状态不能执行此操作。")])
        reasons = [reason for guard in transition.guards for reason in GUARDS[guard](call)]
        if reasons:
            raise CallTransitionError(reasons)
        previous = call.state
        call.state = transition.target
        call.save(update_fields=["state"])
        record_event(
            event=transition.event,
            actor=actor,
            target=call,
            request=request,
            changes={"state": [previous, call.state]},
        )
    return call
