"""On PostgreSQL, every database test starts with each key sequence where its table's rows put it.

A rolled-back test leaves no rows behind, but on PostgreSQL the keys it drew stay drawn: sequences are outside
transactions. The next test's rows would get other keys than on SQLite (where a key is the largest one plus one),
and the other keys make another database state for `tests/dbstate.py`: a test that makes a row before it loads the
call (a city, a user) would find no recording of that state and load the call for real, about 0.8 s, in every
such test. Setting each moved sequence back to its table's largest key before the test gives every test the keys
it would have had first, as on SQLite.

One query finds the sequences that moved since the last test (`pg_sequences`); only those are set, in one
statement. A table's largest key, not the template's sequence value, is the floor: after a transactional test the
tables hold what the flush's post_migrate made again (content types, permissions), not the template's rows.
Tested by tests/test_dbsequences.py.
"""

from __future__ import annotations

from django.db import connection

_VALUES_SQL = "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema()"

_owners: dict[str, tuple[str, str]] | None = None
_left: dict[str, int | None] = {}


def _values(cursor) -> dict[str, int | None]:
    cursor.execute(_VALUES_SQL)
    return dict(cursor.fetchall())


def rewind() -> list[str]:
    """Set every sequence that moved since the last call back to its table's largest key; the names set."""
    global _owners, _left
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        if _owners is None:
            # Django's own introspection, a query per table, once per process.
            introspection = connection.introspection
            _owners = {
                sequence["name"]: (sequence["table"], sequence["column"])
                for table in introspection.django_table_names(only_existing=True, include_views=False)
                for sequence in introspection.get_sequences(cursor, table)
            }
        moved = [name for name, value in _values(cursor).items() if name in _owners and _left.get(name, -1) != value]
        if moved:
            quote = connection.ops.quote_name
            parts = []
            for name in moved:
                table, column = _owners[name]
                top = f"(SELECT MAX({quote(column)}) FROM {quote(table)})"
                # An empty table: the next key is 1 (is_called false), as in a new database.
                parts.append(f"setval(%s::regclass, COALESCE({top}, 1), {top} IS NOT NULL)")
            cursor.execute("SELECT " + ", ".join(parts), [quote(name) for name in moved])
            _left = _values(cursor)
    return moved
