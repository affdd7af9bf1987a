"""Chain every audit entry to the one before it (shenbao/audit/chain.py), existing entries in id order.

The existing rows get their sequence and hashes here, which is an UPDATE the append-only guards of migration 0003
refuse; this migration lifts the UPDATE guard for its own transaction only (PostgreSQL: DISABLE TRIGGER, SQLite:
drop and re-create, both transactional DDL). The columns become NOT NULL and unique in 0005, in a transaction of
their own (PostgreSQL refuses ALTER TABLE while this one's row updates still have deferred checks pending).
"""

import importlib

from django.db import migrations, models

from shenbao.audit import chain

append_only = importlib.import_module("shenbao.audit.migrations.0003_append_only")


def chain_existing_entries(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_auditentry_no_update")
    elif connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_auditentry_no_update")
    head = None
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        chain.link(entry, head=head)
        AuditEntry.objects.filter(pk=entry.pk).update(
            sequence=entry.sequence, previous_hash=entry.previous_hash, entry_hash=entry.entry_hash
        )
        head = (entry.sequence, entry.entry_hash)
    if connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_auditentry_no_update")
    elif connection.vendor == "sqlite":
        append_only.install_sqlite_guards(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_append_only")]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="sequence",
            field=models.BigIntegerField(editable=False, null=True, verbose_name="链序号"),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="previous_hash",
            field=models.CharField(editable=False, max_length=64, null=True, verbose_name="前一条记录的哈希"),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="entry_hash",
            field=models.CharField(editable=False, max_length=64, null=True, verbose_name="哈希"),
        ),
        # Rows are never updated again, so a failed run has nothing to undo but the columns.
        migrations.RunPython(chain_existing_entries, migrations.RunPython.noop),
    ]
