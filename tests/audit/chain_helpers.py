"""Tampering with the audit table the way a database administrator could: lift the append-only guards, write SQL."""

import importlib
from contextlib import contextmanager

from django.db import connection

append_only = importlib.import_module("shenbao.audit.migrations.0003_append_only")


@contextmanager
def guards_lifted():
    """The append-only triggers switched off for the block (a superuser's `ALTER TABLE … DISABLE TRIGGER`)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ALTER TABLE refuses to run while the test's fresh rows still have deferred foreign-key checks.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
        else:
            for statement in append_only.SQLITE_REMOVE:
                cursor.execute(statement)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER USER")
            else:
                for statement in append_only.SQLITE_INSTALL:
                    cursor.execute(statement)


def raw_sql(sql, params=()):
    with guards_lifted(), connection.cursor() as cursor:
        cursor.execute(sql, params)
