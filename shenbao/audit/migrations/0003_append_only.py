"""Make the audit table append-only in the database itself (等保 2.0: audit records protected from change).

Guards, on PostgreSQL and SQLite alike:
- every UPDATE of an `audit_auditentry` row is refused;
- a DELETE of a row younger than 183 days (6 months, Cybersecurity Law Art. 21) is refused; older rows
  may be purged by a plain DELETE;
- refusals raise an integrity error (SQLSTATE 23001 on PostgreSQL, RAISE(ABORT) on SQLite).

Wiping the whole database (`manage.py flush`, which Django's test runner also runs after every transactional
or live-server test) must still work, while nothing else may bypass the guards. Both backends get one
documented maintenance path, used only by `shenbao.audit.management.commands.flush` (which overrides
Django's flush):
- PostgreSQL flushes with TRUNCATE, which row triggers do not see. A statement trigger refuses TRUNCATE of
  this table unless the transaction has set `SET LOCAL shenbao.audit_maintenance = 'on'`, which the flush
  command does and application code never does.
- SQLite has no TRUNCATE and no session variables: flush runs `DELETE FROM` on every table. The flush command
  therefore drops this table's triggers, flushes and re-creates them from their stored SQL, all in one
  transaction (SQLite DDL is transactional), so a failure leaves the guards in place.
A maintenance flag that exempted ordinary DELETEs would have to be visible to the application, so any code
path could set it; these two paths need either the flush command or a deliberate statement in a SQL shell.
A database superuser can always disable triggers: the guard protects against the application and its
operators' mistakes, the database's own access control protects against the superuser.

AuditEntry's foreign keys PROTECT (migration 0002): deleting a user or content type with audit rows is refused
in Python first, instead of a SET NULL/CASCADE that these triggers would refuse anyway. Users are deactivated.

Note for later migrations: on SQLite, altering a column of `audit_auditentry` makes Django rebuild the table,
which drops these triggers. Such a migration must run `install_sqlite_guards` again; the test suite
(tests/audit/test_append_only.py) fails if the guards are missing.
"""

from django.db import migrations

PG_INSTALL = [
    """
    CREATE OR REPLACE FUNCTION audit_auditentry_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            RAISE EXCEPTION 'audit entries are append-only: UPDATE refused' USING ERRCODE = 'restrict_violation';
        ELSIF TG_OP = 'DELETE' AND OLD."timestamp" > now() - interval '183 days' THEN
            RAISE EXCEPTION 'audit entries are kept at least 183 days: DELETE refused'
                USING ERRCODE = 'restrict_violation';
        ELSIF TG_OP = 'TRUNCATE' AND coalesce(current_setting('shenbao.audit_maintenance', true), '') <> 'on' THEN
            RAISE EXCEPTION 'audit entries are append-only: TRUNCATE refused' USING ERRCODE = 'restrict_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NULL;
    END;
    $$;
    """,
    """
    CREATE TRIGGER audit_auditentry_no_update BEFORE UPDATE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_auditentry_guard();
    """,
    """
    CREATE TRIGGER audit_auditentry_retention BEFORE DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_auditentry_guard();
    """,
    """
    CREATE TRIGGER audit_auditentry_no_truncate BEFORE TRUNCATE ON audit_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_auditentry_guard();
    """,
]
PG_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_auditentry_no_truncate ON audit_auditentry;",
    "DROP TRIGGER IF EXISTS audit_auditentry_retention ON audit_auditentry;",
    "DROP TRIGGER IF EXISTS audit_auditentry_no_update ON audit_auditentry;",
    "DROP FUNCTION IF EXISTS audit_auditentry_guard();",
]

# Django stores SQLite datetimes as UTC text "YYYY-MM-DD HH:MM:SS[.ffffff]", which compares as text.
SQLITE_INSTALL = [
    """
    CREATE TRIGGER audit_auditentry_no_update BEFORE UPDATE ON audit_auditentry
    BEGIN
        SELECT RAISE(ABORT, 'audit entries are append-only: UPDATE refused');
    END;
    """,
    """
    CREATE TRIGGER audit_auditentry_retention BEFORE DELETE ON audit_auditentry
    WHEN OLD."timestamp" > strftime('%Y-%m-%d %H:%M:%f', 'now', '-183 days')
    BEGIN
        SELECT RAISE(ABORT, 'audit entries are kept at least 183 days: DELETE refused');
    END;
    """,
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_auditentry_retention;",
    "DROP TRIGGER IF EXISTS audit_auditentry_no_update;",
]


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement, params=None)


def install_sqlite_guards(schema_editor):
    _run(schema_editor, SQLITE_REMOVE + SQLITE_INSTALL)


def install_guards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, PG_INSTALL)
    elif vendor == "sqlite":
        install_sqlite_guards(schema_editor)
    else:
        raise NotImplementedError(f"no append-only guard for database vendor {vendor!r}")


def remove_guards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, PG_REMOVE)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_REMOVE)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_protect_keys_and_indexes")]

    operations = [migrations.RunPython(install_guards, remove_guards)]
