"""Resolution of the names used in `workflow.TRANSITIONS` to the functions that implement them.

A plain name is looked up in this app's registries; a dotted name is imported, so a step whose logic belongs to
another app (资格复核 in `shenbao.review`, 公示 in `shenbao.notices`) keeps it there.
"""

from functools import cache

from django.utils.module_loading import import_string

from .effects import EFFECTS
from .guards import GUARDS
from .rules import ACTORS

REGISTRIES = {"actor": ACTORS, "guard": GUARDS, "effect": EFFECTS}


@cache
def resolve(kind, name):
    if "." in name:
        return import_string(name)
    return REGISTRIES[kind][name]
