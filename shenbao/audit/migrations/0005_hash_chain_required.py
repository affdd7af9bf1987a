"""Every audit entry has its place in the chain: sequence, previous hash and hash are required, sequence unique.

On SQLite these changes rebuild the table, which drops the append-only triggers: they are installed again
(see the note in migration 0003).
"""

import importlib

from django.db import migrations, models

append_only = importlib.import_module("shenbao.audit.migrations.0003_append_only")


def reinstall_sqlite_guards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        append_only.install_sqlite_guards(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_hash_chain")]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="sequence",
            field=models.BigIntegerField(editable=False, unique=True, verbose_name="链序号"),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="previous_hash",
            field=models.CharField(editable=False, max_length=64, verbose_name="前一条记录的哈希"),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="entry_hash",
            field=models.CharField(editable=False, max_length=64, verbose_name="哈希"),
        ),
        migrations.RunPython(reinstall_sqlite_guards, reinstall_sqlite_guards),
    ]
