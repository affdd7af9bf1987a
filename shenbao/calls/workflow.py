"""The call's own workflow, declared as data: a draft (seen only by its city's call administrators) is published.

`MACHINE` is fired by the one transition helper (`shenbao.core.transitions.fire`); `fire_call_transition` is the
calls app's entry point and answers a refused step with `CallTransitionError` (the reasons, for the editor page).
Who may publish is decided by the editor's views (role CALL_ADMIN, city-scoped), so the step names no actor.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shenbao.core.transitions import Machine, State, Transition, fire, register

from .models import Call, CallState


class CallTransitionError(Exception):
    """A step that is not allowed now; `reasons` are sentences for the user."""

    def __init__(self, reasons: list[Any]) -> None:
        self.reasons = list(reasons)
        super().__init__("；".join(str(reason) for reason in self.reasons))


def has_project_types(*, call: Call, actor: Any, payload: Any, at: Any) -> list[Promise]:
    return [] if call.project_types.exists() else [_("申报通知至少需要一个项目类别。")]


GUARDS = {"has_project_types": has_project_types}

CALL_TRANSITIONS = (
    Transition(
        "publish",
        _("发布"),
        (CallState.DRAFT,),
        CallState.PUBLISHED,
        None,
        guards=("has_project_types",),
        event="calls:publish",
    ),
)

MACHINE = register(
    Machine(
        name="calls",
        model="calls.Call",
        noun=_("申报通知"),
        subject="call",
        field="state",
        states=(
            State(CallState.DRAFT, CallState.DRAFT.label, editable=True),
            State(CallState.PUBLISHED, CallState.PUBLISHED.label, badge="success"),
        ),
        transitions=CALL_TRANSITIONS,
        registries={"guard": "shenbao.calls.workflow.GUARDS"},
        change_key="state",
        change_labels=False,
    )
)


def get_call_transition(name: str) -> Transition:
    return MACHINE.transition(name)


def call_transitions_from(state: str) -> list[Transition]:
    return MACHINE.transitions_from(state)


def fire_call_transition(*, call: Call, name: str, actor: Any, request: HttpRequest | None = None) -> Call:
    """Move `call` along the transition `name`; raises CallTransitionError with the reasons it may not."""
    try:
        return fire(machine=MACHINE, obj=call, name=name, actor=actor, request=request)
    except ValidationError as error:
        if getattr(error, "code", None) == "state_changed":  # a list of guard reasons has no single code
            raise CallTransitionError([_("申报通知当前状态不能执行此操作。")]) from error
        raise CallTransitionError(error.messages) from error
