"""Collects the entries of every module in tests/permissions/entries/ (one module per app)."""

import dataclasses
import importlib
import pkgutil
from functools import cache

from . import entries as entries_package


@cache
def entry_modules():
    names = sorted(
        info.name
        for info in pkgutil.iter_modules(entries_package.__path__)
        if not info.ispkg and not info.name.startswith("_")
    )
    return tuple(importlib.import_module(f"{entries_package.__name__}.{name}") for name in names)


@cache
def all_entries():
    collected = []
    for module in entry_modules():
        source = module.__name__.rsplit(".", 1)[-1]
        for entry in getattr(module, "ENTRIES", ()):
            collected.append(dataclasses.replace(entry, source=source))
    return tuple(collected)


def builders():
    """(entry file name, its build function) in file-name order."""
    return [
        (module.__name__.rsplit(".", 1)[-1], module.build) for module in entry_modules() if hasattr(module, "build")
    ]
