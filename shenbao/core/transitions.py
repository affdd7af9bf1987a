"""The one transition helper: every stateful model's workflow is a `Machine` declared as data, moved by `fire`.

A machine names its model, the field holding the state, its states (each a `State`: label, badge colour, final
and editable flags, optional progress step and phrase, so pages take everything they show from the table) and
its transitions (each a `Transition`: label, sources, target, actor predicate, guards, effects, whether a comment
is required, extra inputs, who is notified, the audit event). Names of actors, guards and effects are strings,
resolved when first used (`Machine.resolve`): a plain name is looked up in the machine's registries (a dotted
path to a {name: function} dict in the machine's own app), a dotted name ("shenbao.notices.guards.notice_closed")
is imported, so a step whose logic belongs to another app keeps it there and no workflow table imports code.

`fire` is the only code that changes a state. In one transaction it locks the row (SELECT … FOR UPDATE, re-read),
checks the actor, the source state, a required comment and every guard, runs the effects, sets the state, saves,
runs the follow-ups, writes the audit entry and calls the machine's notify hook — so a double click or two people
at once produce exactly one transition, and a step that rolls back tells nobody.

Signatures of the named functions (`subject` is the machine's keyword for the object, e.g. "application"):
  actor(user, obj) -> bool
  guard(*, <subject>=obj, actor, payload, at) -> list of reasons (translated sentences) the step may not happen
  effect(*, <subject>=obj, actor, payload, at) -> None (payload also holds "comment")
  notify hook(obj, *, step, actor, comment, at); details hook(obj, *, step, at) -> dict for the audit entry
"""

from __future__ import annotations

import copy
import dataclasses
import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from shenbao.audit.services import linked_at_end, record_event

Label = str | Promise
Step = Callable[..., Any]


@dataclass(frozen=True)
class State:
    """One state and everything a page needs to show it."""

    value: str
    label: Label
    badge: str = "secondary"  # Bootstrap colour name: the badge is `text-bg-<badge>`
    final: bool = False  # nothing more will happen to the object in this machine
    editable: bool = False  # its owner may still change its content
    step: int | None = None  # position in a progress display, if the state is one of its steps
    phrase: Label = ""  # a sentence for the owner about what the state means (optional)

    @property
    def css_class(self) -> str:
        return f"text-bg-{self.badge}"

    def __str__(self) -> str:
        return str(self.label)


@dataclass(frozen=True)
class Transition:
    """One step of a machine; names resolve through `Machine.resolve`."""

    name: str
    label: Label
    sources: tuple[str, ...]
    target: str
    actor: str | None  # predicate name (user, obj) -> bool; None only where the caller decides who acts
    guards: tuple[str, ...] = ()  # each returns a list of reasons the step is not allowed (empty: allowed)
    effects: tuple[str, ...] = ()  # run in order inside the transaction, before the state is set
    requires_comment: bool = False
    comment_to_applicant: bool = False  # the comment is shown to the unit (the machine's hooks keep it)
    payload: tuple[str, ...] = ()  # extra inputs the step takes; they are written into the audit entry
    notify: tuple[str, ...] = ()  # audiences told by the machine's notify hook
    event: str = ""  # audit event; default "<machine name>:<step name>"
    followups: tuple[str, ...] = ()  # effects run after the new state is saved (they may read or fire on it)


@dataclass(frozen=True, eq=False)
class Machine:
    """A workflow declared as data. `model` is an app label ("applications.Application"), so a models module may
    import its own table."""

    name: str  # prefix of the audit events
    model: str
    noun: Label  # what messages call one object: 该「申报」…
    subject: str  # keyword under which guards and effects receive the object
    states: tuple[State, ...]
    transitions: tuple[Transition, ...]
    field: str = "status"
    registries: Mapping[str, str] = dataclasses.field(
        default_factory=dict
    )  # "actor"/"guard"/"effect" -> dotted dict path
    fsm: bool = False  # set the state through the model's django-fsm method named after the step (StateLog)
    notify: str = ""  # dotted path of the notify hook
    details: str = ""  # dotted path of a hook adding details to the audit entry
    lock_related: tuple[str, ...] = ()  # select_related of the locked read
    touch: tuple[str, ...] = ()  # auto_now fields refreshed by every step (e.g. "updated_at")
    change_key: str = "状态"  # key of the audit entry's changes
    change_labels: bool = True  # record the states' labels (False: their stored values)

    @cached_property
    def states_by_value(self) -> dict[str, State]:
        return {state.value: state for state in self.states}

    @cached_property
    def transitions_by_name(self) -> dict[str, Transition]:
        return {step.name: step for step in self.transitions}

    def state(self, value: str) -> State:
        """The State record of a stored value (an unknown value gets a plain record rather than an error)."""
        return self.states_by_value.get(value) or State(value, value)

    def transition(self, name: str) -> Transition:
        return self.transitions_by_name[name]

    def transitions_from(self, state: str) -> list[Transition]:
        return [step for step in self.transitions if state in step.sources]

    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def event_of(self, step: Transition) -> str:
        return step.event or f"{self.name}:{step.name}"

    def resolve(self, kind: str, name: str) -> Step:
        return _resolve(self, kind, name)


@cache
def _resolve(machine: Machine, kind: str, name: str) -> Step:
    if "." in name:
        return import_string(name)
    return import_string(machine.registries[kind])[name]


def unresolved_names(machine: Machine) -> list[str]:
    """Every actor, guard, effect and hook name of `machine` that does not resolve (a test asks for none)."""
    wanted = [("actor", step.actor) for step in machine.transitions if step.actor]
    wanted += [("guard", name) for step in machine.transitions for name in step.guards]
    wanted += [("effect", name) for step in machine.transitions for name in (*step.effects, *step.followups)]
    missing = []
    for kind, name in wanted:
        try:
            if not callable(machine.resolve(kind, name)):
                missing.append(f"{kind}:{name}")
        except (ImportError, KeyError):
            missing.append(f"{kind}:{name}")
    for hook in (machine.notify, machine.details):
        if hook:
            try:
                import_string(hook)
            except ImportError:
                missing.append(f"hook:{hook}")
    return missing


# --- The machines pages ask about -------------------------------------------------------------------------------

_MACHINES: dict[str, Machine] = {}


def register(machine: Machine) -> Machine:
    """Make `machine` the one pages consult for its model (`state_of`, the `state` template filter)."""
    _MACHINES[machine.model.lower()] = machine
    return machine


def registered_machines() -> list[Machine]:
    return list(_MACHINES.values())


def machine_of(obj: models.Model) -> Machine:
    return _MACHINES[obj._meta.label_lower]


def state_of(obj: models.Model) -> State:
    """The State record (label, badge, flags) of `obj`'s current state in its registered machine."""
    machine = machine_of(obj)
    return machine.state(getattr(obj, machine.field))


# --- Firing -----------------------------------------------------------------------------------------------------


def lock(*, machine: Machine, obj: models.Model) -> Any:
    """`obj` read again under a row lock (SELECT … FOR UPDATE of its own row only)."""
    queryset = machine.model_class()._default_manager.all()
    if machine.lock_related:
        queryset = queryset.select_related(*machine.lock_related)
    return queryset.select_for_update(of=("self",)).get(pk=obj.pk)


def _check_state(*, machine: Machine, step: Transition, current: str) -> None:
    if current in step.sources:
        return
    values = {"noun": machine.noun, "state": machine.state(current).label, "action": step.label}
    if current == step.target:  # a second window or a double click repeating the step that was just done
        message = _("状态已变化：该%(noun)s当前已是「%(state)s」，请勿重复提交。请刷新页面。") % values
    else:
        message = _("状态已变化：该%(noun)s当前为「%(state)s」，不能再执行「%(action)s」。请刷新页面。") % values
    raise ValidationError(message, code="state_changed")


def _run(
    machine: Machine, names: Iterable[str], *, obj: Any, actor: Any, payload: dict[str, Any], at: datetime.datetime
) -> None:
    for name in names:
        machine.resolve("effect", name)(**{machine.subject: obj}, actor=actor, payload=payload, at=at)


def check_guards(
    *, machine: Machine, step: Transition, obj: Any, actor: Any, payload: Mapping[str, Any], at: datetime.datetime
) -> list[Any]:
    """Every reason the guards of `step` give against it (empty: allowed)."""
    return [
        reason
        for name in step.guards
        for reason in machine.resolve("guard", name)(**{machine.subject: obj}, actor=actor, payload=payload, at=at)
    ]


def may_fire(*, machine: Machine, step: Transition, obj: Any, user: Any) -> bool:
    """Whether `user` is the step's actor and `obj` is in one of its sources (what a button needs; no guards)."""
    if getattr(obj, machine.field) not in step.sources:
        return False
    return step.actor is None or bool(machine.resolve("actor", step.actor)(user, obj))


def _field_values(obj: models.Model) -> dict[str, Any]:
    values = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key}
    # JSON values may be changed in place by an effect; everything else is replaced when it changes.
    return {name: copy.deepcopy(value) if isinstance(value, dict | list) else value for name, value in values.items()}


def _changed_fields(obj: models.Model, before: Mapping[str, Any]) -> list[str]:
    """The fields the effects and the step changed in memory: only these are written (a column another writer
    changed under the same lock, or an auto_now column the machine does not `touch`, is left alone)."""
    return [name for name, value in before.items() if getattr(obj, name) != value]


def _label(machine: Machine, value: str) -> str:
    return str(machine.state(value).label) if machine.change_labels else value


def step_time(*, at: datetime.datetime | None, request: HttpRequest | None) -> datetime.datetime:
    """When a step happens: the time given, else when its request arrived (observability's RequestIdMiddleware),
    else now. Not when a worker or the row lock became free: a deadline's last second counts for whoever arrived
    in it, however long the rush kept the request waiting."""
    return at or getattr(request, "arrived_at", None) or timezone.now()


def fire(
    *,
    machine: Machine,
    obj: models.Model,
    name: str,
    actor: Any,
    comment: str = "",
    payload: Mapping[str, Any] | None = None,
    at: datetime.datetime | None = None,
    request: HttpRequest | None = None,
    savepoint: bool = True,
) -> Any:
    """Fire the transition `name` of `machine` on `obj`; returns the updated (locked) object.

    `savepoint=False`: the caller's own atomic block around this call is where a refusal is caught, so a savepoint
    of this one (two more statements) would undo nothing that the caller's does not.

    Raises PermissionDenied (not the step's actor) or ValidationError: code "state_changed" (the state is not a
    source of the step any more), "comment_required", "guard_failed" (every guard's reasons), "unknown_transition".
    """
    step = machine.transitions_by_name.get(name)
    if step is None:
        raise ValidationError(_("未知的操作：%(name)s") % {"name": name}, code="unknown_transition")
    at = step_time(at=at, request=request)
    payload = dict(payload or {})
    comment = (comment or "").strip()
    # The step's audit entries are inserted, linked into the chain, as the transaction's last step: the chain's
    # lock is held for the few milliseconds before the commit, not for the whole step (audit.models.linked_at_end).
    with transaction.atomic(savepoint=savepoint), linked_at_end():
        locked = lock(machine=machine, obj=obj)
        # The actor first: someone who may not act is not told the object's state.
        if step.actor is not None and not machine.resolve("actor", step.actor)(actor, locked):
            raise PermissionDenied(
                _("您无权对该%(noun)s执行「%(action)s」。") % {"noun": machine.noun, "action": step.label}
            )
        source = getattr(locked, machine.field)
        _check_state(machine=machine, step=step, current=source)
        if step.requires_comment and not comment:
            raise ValidationError(_("执行「%(action)s」须填写意见。") % {"action": step.label}, code="comment_required")
        reasons = check_guards(machine=machine, step=step, obj=locked, actor=actor, payload=payload, at=at)
        if reasons:
            # One error per reason, each with the code (a list given to ValidationError would drop it).
            raise ValidationError([ValidationError(reason, code="guard_failed") for reason in reasons])
        # Effects see the step's comment as payload["comment"] (e.g. the reason an objection is overruled).
        effect_payload = {**payload, "comment": comment}
        before = _field_values(locked)
        _run(machine, step.effects, obj=locked, actor=actor, payload=effect_payload, at=at)
        if machine.fsm:
            getattr(locked, step.name)(by=actor, description=comment or None)
        else:
            setattr(locked, machine.field, step.target)
        locked.save(update_fields=[*_changed_fields(locked, before), *machine.touch])
        _run(machine, step.followups, obj=locked, actor=actor, payload=effect_payload, at=at)
        extra = import_string(machine.details)(locked, step=step, at=at) if machine.details else {}
        record_event(
            event=machine.event_of(step),
            actor=actor,
            target=locked,
            request=request,
            changes={machine.change_key: [_label(machine, source), _label(machine, step.target)]},
            details={
                "transition": step.name,
                **extra,
                "at": at.isoformat(),
                **({"comment": comment} if comment else {}),
                **{key: str(value) for key, value in payload.items() if key in step.payload},
            },
        )
        # In the same transaction: a step that rolls back tells nobody; e-mails go out only after the commit.
        if machine.notify:
            import_string(machine.notify)(locked, step=step, actor=actor, comment=comment, at=at)
    return locked


def announce(*, machine: Machine, obj: models.Model, name: str, actor: Any, at: datetime.datetime) -> None:
    """Tell the audiences of a step that no `fire` performs — a creation step (no source state) done by the
    machine's own service — through the machine's notify hook, so every step reaches people the same way."""
    if machine.notify:
        import_string(machine.notify)(obj, step=machine.transition(name), actor=actor, comment="", at=at)
