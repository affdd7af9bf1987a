"""The state of any object with a registered workflow, as its table declares it (`core.transitions.State`).

`{% state_badge report %}` shows the label on its colour, `{{ report|state }}` the label, and
`{% if report|state_flag:"final" %}` asks a flag; templates take all of it from the table and never compare
status strings.
"""

from django import template
from django.db import models

from shenbao.core.transitions import State, state_of

register = template.Library()


@register.filter(name="state")
def state(obj: models.Model) -> State:
    return state_of(obj)


FLAGS = frozenset({"final", "editable"})


@register.filter
def state_flag(obj: models.Model, flag: str) -> bool:
    """One boolean flag ("final", "editable") of `obj`'s state."""
    if flag not in FLAGS:
        raise template.TemplateSyntaxError(f"unknown state flag: {flag!r}")
    return bool(getattr(state_of(obj), flag))


@register.inclusion_tag("core/_state_badge.html")
def state_badge(obj: models.Model) -> dict[str, State]:
    """The badge of `obj`'s state: its label on its colour."""
    return {"state": state_of(obj)}
