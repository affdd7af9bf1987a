"""Django's `flush`, allowed to empty the append-only audit table (see audit migration 0003).

Wiping the whole database is the one maintenance operation that may remove fresh audit rows; Django's test
runner uses it after transactional and live-server tests. Everything else stays refused by the triggers.

Only where the settings allow it (`SHENBAO_ALLOW_FLUSH`: the development and test profiles): the production
profile refuses, so no operator command empties a live audit trail. Moving a deployment goes through
`backup`/`restore`, which keep every audit row.
"""

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands import flush
from django.db import DEFAULT_DB_ALIAS, connections, transaction

AUDIT_TABLE = "audit_auditentry"


class Command(flush.Command):
    def handle(self, **options):
        if not getattr(settings, "SHENBAO_ALLOW_FLUSH", False):
            raise CommandError(
                "此环境不允许清空数据库（flush）：审计记录须至少保留六个月；迁移数据请用 backup/restore。"
            )
        connection = connections[options.get("database", DEFAULT_DB_ALIAS)]
        with transaction.atomic(using=connection.alias):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL shenbao.audit_maintenance = 'on'")
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
