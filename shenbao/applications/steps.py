"""Resolution of the names used in `workflow.TRANSITIONS` to the functions that implement them.

A plain name is looked up in this app's registries (rules.ACTORS, guards.GUARDS, effects.EFFECTS, named in
`workflow.MACHINE.registries`); a dotted name is imported, so a step whose logic belongs to another app (资格复核 in
`shenbao.review`, 公示 in `shenbao.notices`) keeps it there. The one resolver is `Machine.resolve`.
"""

from collections.abc import Callable
from typing import Any

from .workflow import MACHINE


def resolve(kind: str, name: str) -> Callable[..., Any]:
    return MACHINE.resolve(kind, name)
