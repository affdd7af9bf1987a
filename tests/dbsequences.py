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

_OWNERS_SQL = """
    SELECT format('%I.%I', ns.nspname, seq.relname), format('%I', tbl.relname), format('%I', col.attname)
    FROM pg_class seq
    JOIN pg_namespace ns ON ns.oid = seq.relnamespace
    JOIN pg_depend dep ON dep.objid = seq.oid AND dep.classid = 'pg_class'::regclass AND dep.deptype IN ('a', 'i')
    JOIN pg_class tbl ON tbl.oid = dep.refobjid
    JOIN pg_attribute col ON col.attrelid = tbl.oid AND col.attnum = dep.refobjsubid
    WHERE seq.relkind = 'S' AND ns.nspname = current_schema()
"""
_VALUES_SQL = (
    "SELECT format('%I.%I', schemaname, sequencename), last_value FROM pg_sequences WHERE schemaname = current_schema()"
)

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
            cursor.execute(_OWNERS_SQL)
            _owners = {sequence: (table, column) for sequence, table, column in cursor.fetchall()}
        moved = [name for name, value in _values(cursor).items() if name in _owners and _left.get(name, -1) != value]
        if moved:
            parts = []
            for name in moved:
                table, column = _owners[name]
                top = f"(SELECT MAX({column}) FROM {table})"
                # An empty table: the next key is 1 (is_called false), as in a new database.
                parts.append(f"setval('{name}', COALESCE({top}, 1), {top} IS NOT NULL)")
            cursor.execute("SELECT " + ", ".join(parts))
            _left = _values(cursor)
    return moved
