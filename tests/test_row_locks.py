"""A row lock locks the row it names, not the rows it reads beside it.

On PostgreSQL `SELECT … FOR UPDATE` with joins locks a row of every joined table. `select_for_update()` together
with `select_related("call", "project_type")` therefore locked the application's call and project type as well: every
county approval of one call waited for the one before it to commit (the deadline rush's approvals ran with a third
of the cores idle, and the log showed a lock read of 133 ms). Every lock in the code that reads related rows names
its own table with `of=("self",)`; this is the check of the code, and
`tests/applications/test_race.py` shows the behaviour on PostgreSQL.
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings

SOURCE = Path(settings.BASE_DIR) / "shenbao"


def _chain(node: ast.AST) -> list[ast.Call]:
    """The calls of one method chain, outermost first: `a.b().c(x).d()` → d(), c(x), b()."""
    calls = []
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        calls.append(node)
        node = node.func.value
    return calls


def locks_reading_related_rows(text: str) -> list[int]:
    """Lines of `select_for_update()` without `of=` in a chain that also has `select_related(…)`."""
    found = set()
    for node in ast.walk(ast.parse(text)):
        calls = _chain(node)
        names = {call.func.attr: call for call in calls}  # type: ignore[attr-defined]
        lock = names.get("select_for_update")
        if lock is None or "select_related" not in names:
            continue
        if not any(keyword.arg == "of" for keyword in lock.keywords):
            found.add(lock.lineno)
    return sorted(found)


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ('Application.objects.select_for_update().select_related("call").get(pk=1)', [1]),
        ('(\n    x.slots.select_for_update()\n    .filter(a=1)\n    .select_related("application")\n)', [2]),
        ('Application.objects.select_related("call").select_for_update().get(pk=1)', [1]),
        ('Application.objects.select_for_update(of=("self",)).select_related("call").get(pk=1)', []),
        ("Application.objects.select_for_update().get(pk=1)", []),
        ('Application.objects.select_related("call").get(pk=1)', []),
    ],
)
def test_the_check_finds_a_lock_that_reads_related_rows(text, lines):
    assert locks_reading_related_rows(text) == lines


def test_no_lock_in_the_code_locks_the_rows_it_reads_beside_its_own():
    offenders = [
        f"{path.relative_to(SOURCE.parent)}:{line}"
        for path in sorted(SOURCE.rglob("*.py"))
        for line in locks_reading_related_rows(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, 'select_for_update() with select_related needs of=("self",):\n' + "\n".join(offenders)
