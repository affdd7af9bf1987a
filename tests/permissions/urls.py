"""Every URL pattern of shenbao.urls and every operation of the django-ninja API(s) it mounts."""

import sys
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Pattern:
    name: str  # "namespace:name" (reverse()-able) or "<unnamed …>"
    route: str  # the full route, converters included ("applications/<uuid:public_id>/")
    callback: object


def _route(pattern):
    return str(pattern.pattern)


def walk(patterns=None, namespace="", prefix=""):
    """Every URLPattern under the root URLconf, with its full route and namespaced name."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
            yield from walk(entry.url_patterns, inner or "", prefix + _route(entry))
        elif isinstance(entry, URLPattern):
            route = prefix + _route(entry)
            name = f"<unnamed {route}>"
            if entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield Pattern(name=name, route=route, callback=entry.callback)


def url_patterns():
    """{name: Pattern}; a name reused for several routes keeps every route (ninja names one per operation)."""
    found = {}
    for pattern in walk():
        found.setdefault(pattern.name, []).append(pattern)
    return found


@dataclass(frozen=True)
class Operation:
    url: str  # "namespace:url_name"
    method: str
    route: str


def ninja_apis():
    """The NinjaAPI instances of our code (shenbao.api and any other shenbao module that defines one)."""
    try:
        from ninja import NinjaAPI
    except ImportError:  # pragma: no cover - ninja is a dependency
        return []
    get_resolver().url_patterns  # noqa: B018 (importing the URLconf imports every API module)
    apis = []
    for name, module in list(sys.modules.items()):
        if not name.startswith("shenbao") or module is None:
            continue
        for value in vars(module).values():
            if isinstance(value, NinjaAPI) and value not in apis:
                apis.append(value)
    return apis


def api_operations():
    """Every (operation × HTTP method) of every mounted NinjaAPI, with the URL name ninja gave its pattern."""
    operations = []
    for api in ninja_apis():
        namespace = api.urls_namespace.split(":")[-1]
        mounted = {}
        for pattern in walk():
            full_namespace, _, short = pattern.name.rpartition(":")
            if full_namespace.split(":")[-1] == namespace:
                mounted[short] = pattern
        if not mounted:
            continue  # defined but not mounted in shenbao.urls
        for bound in api._get_bound_routers():
            for path_view in bound.path_operations.values():
                for operation in path_view.operations:
                    url_name = getattr(operation, "url_name", "") or api.get_operation_url_name(
                        operation, router=bound.template
                    )
                    if bound.url_name_prefix and not getattr(operation, "url_name", ""):
                        url_name = f"{bound.url_name_prefix}_{url_name}"
                    pattern = mounted.get(url_name)
                    url = pattern.name if pattern else f"{namespace}:{url_name}"
                    for method in operation.methods:
                        operations.append(
                            Operation(url=url, method=method.upper(), route=pattern.route if pattern else "?")
                        )
    return operations
