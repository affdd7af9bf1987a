"""Django's `flush`, allowed to empty the append-only audit table (see audit migration 0003).

Wiping the whole database is the one maintenance operation that may remove fresh audit rows; Django's test
runner uses it after transactional and live-server tests. Everything else stays refused by the triggers.

Only where the settings allow it (`SHENBAO_ALLOW_FLUSH`: the development and test profiles): the production
profile refuses, so no operator command empties a live audit trail. Moving a deployment goes through
`backup`/`restore`, which keep every audit row.

On PostgreSQL the test runner's flush (not interactive, asked to keep the sequences) deletes rows instead of
Django's TRUNCATE of every table: a TRUNCATE gives each of the hundred tables a new file, about 0.3 s even when they
are nearly empty, after every one of the suite's transactional tests, while a DELETE of the few rows such a test
leaves takes milliseconds. The result is the same: every table empty, then the post_migrate signal. The foreign
keys are deferred, so the order of the DELETEs does not matter; the audit table alone is truncated (its row trigger
refuses to DELETE fresh entries, and no table refers to it). A person flushing by hand gets Django's own flush, with
its confirmation.

The test runner's flush also starts the emptied tables' keys again at 1, on both databases (Django's flush does with
`reset_sequences`). Then the content types and permissions that post_migrate makes again get the same keys after
every flush, so every transactional test starts from one and the same database, and the recorded loads of the
reference data and the calls (tests/dbstate.py) can be replayed there instead of loaded again after every flush.
"""

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands import flush
from django.core.management.sql import emit_post_migrate_signal
from django.db import DEFAULT_DB_ALIAS, connections, transaction

AUDIT_TABLE = "audit_auditentry"
# The key sequences owned by the given tables (serial or identity columns), each to hand out 1 next.
RESTART_SEQUENCES = """
    SELECT setval(seq.oid::regclass, 1, false)
    FROM pg_class seq
    JOIN pg_depend dep ON dep.objid = seq.oid AND dep.classid = 'pg_class'::regclass AND dep.deptype IN ('a', 'i')
    JOIN pg_class tbl ON tbl.oid = dep.refobjid
    WHERE seq.relkind = 'S' AND tbl.relname = ANY(%s) AND tbl.relnamespace = current_schema()::regnamespace
"""


class Command(flush.Command):
    def handle(self, **options):
        if not getattr(settings, "SHENBAO_ALLOW_FLUSH", False):
            raise CommandError(
                "此环境不允许清空数据库（flush）：审计记录须至少保留六个月；迁移数据请用 backup/restore。"
            )
        connection = connections[options.get("database", DEFAULT_DB_ALIAS)]
        runner = not options.get("interactive") and not options.get("reset_sequences", True)
        if runner:
            options = {**options, "reset_sequences": True}
        with transaction.atomic(using=connection.alias):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL shenbao.audit_maintenance = 'on'")
                if runner:
                    return self._delete_every_row(connection, options)
                return super().handle(**options)
            if connection.vendor == "sqlite":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                        [AUDIT_TABLE],
                    )
                    triggers = cursor.fetchall()
                    for name, _sql in triggers:
                        cursor.execute(f'DROP TRIGGER "{name}"')
                result = super().handle(**options)
                with connection.cursor() as cursor:
                    for _name, sql in triggers:
                        cursor.execute(sql)
                return result
            return super().handle(**options)

    def _delete_every_row(self, connection, options):
        """PostgreSQL, the test runner's flush: the tables Django's flush would empty, emptied row by row, and their
        key sequences started again."""
        tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            # Django creates every foreign key DEFERRABLE; a key that is not would make a DELETE below fail loudly.
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for table in sorted(tables):
                if table == AUDIT_TABLE:
                    cursor.execute(f"TRUNCATE {quote(table)}")
                else:
                    cursor.execute(f"DELETE FROM {quote(table)}")
            cursor.execute(RESTART_SEQUENCES, [sorted(tables)])
        if tables and not options.get("inhibit_post_migrate", False):
            emit_post_migrate_signal(options["verbosity"], False, connection.alias)
