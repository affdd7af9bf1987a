"""Every URL pattern and API operation has a matrix entry; every entry names a real URL; identifiers are not ids.

No database: these run in a fraction of a second and name the missing pattern.
"""

import re

from .registry import all_entries
from .urls import api_operations, url_patterns

# Integer path parameters that are not object identifiers an outsider could walk through, and why.
INT_PARAMETERS_ALLOWED = {
    # The version number (版本1, 版本2 …) of an application addressed by its UUID: the object is the UUID-scoped
    # application; the sequence only picks one of its own versions, each visible exactly when the application is.
    ("applications:version", "sequence"),
    # The audit administrator's detail of one audit entry: only the audit administrator reaches it (404 for
    # everyone else) and the same role lists every entry anyway, so the number discloses nothing; the sequential
    # key is the audit chain's natural order.
    ("audit:detail", "pk"),
    # A calendar year (the construction year a progress report is for), not an identifier of anything.
    ("acceptance:report_start", "year"),
}


def test_every_url_pattern_has_an_entry(request):
    patterns = url_patterns()
    covered = {entry.url for entry in all_entries()}
    missing = [f"{name}  ({patterns[name][0].route})" for name in patterns if name not in covered]
    operations = api_operations()
    api_names = {operation.url for operation in operations}
    counts = {
        "permission_url_patterns": sum(1 for name in patterns if name not in api_names),
        "permission_api_operations": len(operations),
    }
    request.node.user_properties.extend(counts.items())  # summed by summary.py
    assert not missing, "URL patterns without a permission-matrix entry (see tests/permissions/README.md):\n" + (
        "\n".join(missing)
    )


def test_every_api_operation_method_has_an_entry():
    covered = {(entry.url, entry.method) for entry in all_entries()}
    missing = [f"{op.method} {op.url}  ({op.route})" for op in api_operations() if (op.url, op.method) not in covered]
    assert not missing, "API operations without a permission-matrix entry:\n" + "\n".join(missing)


def test_every_entry_names_an_existing_url():
    patterns = url_patterns()
    unknown = [f"{entry.key}  (entries/{entry.source}.py)" for entry in all_entries() if entry.url not in patterns]
    assert not unknown, "entries for URLs that do not exist:\n" + "\n".join(unknown)


def test_entries_are_not_duplicated():
    seen, duplicates = set(), []
    for entry in all_entries():
        if entry.key in seen:
            duplicates.append(entry.key)
        seen.add(entry.key)
    assert not duplicates, duplicates


INT_PARAMETER = re.compile(r"<int:(\w+)>")
PATH_PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")
ID_LIKE = re.compile(r"^(pk|id|.+_id)$")


def _offending(name, route):
    for converter, parameter in PATH_PARAMETER.findall(route):
        if (name, parameter) in INT_PARAMETERS_ALLOWED:
            continue
        if converter == "int":
            yield f"{name}: {route} (<int:{parameter}>)"
        elif ID_LIKE.match(parameter) and converter not in {"uuid", "uuidstr"}:
            yield f"{name}: {route} ({parameter} is not a UUID)"


def test_object_identifiers_in_urls_are_not_enumerable():
    offending = sorted(
        {
            line
            for name, patterns in url_patterns().items()
            for pattern in patterns
            for line in _offending(name, pattern.route)
        }
    )
    assert not offending, "URLs must identify objects by UUID or slug, never by a sequential id:\n" + "\n".join(
        offending
    )


def test_the_int_allow_list_is_still_needed():
    present = {
        (name, parameter)
        for name, patterns in url_patterns().items()
        for pattern in patterns
        for parameter in INT_PARAMETER.findall(pattern.route)
    }
    assert present >= INT_PARAMETERS_ALLOWED, f"no longer needed: {INT_PARAMETERS_ALLOWED - present}"
