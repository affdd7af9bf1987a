"""Refuse UPDATE of ledger entries in the database too (拨付记录 are evidence; corrections are reversal entries).

Only UPDATE is guarded: DELETE stays possible so `manage.py flush` and the test runner can wipe the database,
and the foreign keys PROTECT entries from cascading deletes in application code. On SQLite, a later migration
that alters `funding_ledgerentry` rebuilds the table and drops the trigger; such a migration must re-create it
(tests/funding/test_ledger.py fails if it is missing).
"""

from django.db import migrations

PG_INSTALL = [
    """
    CREATE OR REPLACE FUNCTION funding_ledgerentry_no_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'ledger entries are append-only: UPDATE refused' USING ERRCODE = 'restrict_violation';
    END;
    $$;
    """,
    """
    CREATE TRIGGER funding_ledgerentry_no_update BEFORE UPDATE ON funding_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION funding_ledgerentry_no_update();
    """,
]
PG_REMOVE = [
    "DROP TRIGGER IF EXISTS funding_ledgerentry_no_update ON funding_ledgerentry;",
    "DROP FUNCTION IF EXISTS funding_ledgerentry_no_update();",
]
SQLITE_INSTALL = [
    """
    CREATE TRIGGER funding_ledgerentry_no_update BEFORE UPDATE ON funding_ledgerentry
    BEGIN
        SELECT RAISE(ABORT, 'ledger entries are append-only: UPDATE refused');
    END;
    """,
]
SQLITE_REMOVE = ["DROP TRIGGER IF EXISTS funding_ledgerentry_no_update;"]


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement, params=None)


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, PG_INSTALL)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_REMOVE + SQLITE_INSTALL)


def remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, PG_REMOVE)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_REMOVE)


class Migration(migrations.Migration):
    dependencies = [("funding", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
