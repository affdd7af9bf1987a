"""Encrypt objection.contact_phone at rest (shenbao.core.fields.EncryptedCharField): widen the column, encrypt existing rows."""

import shenbao.core.fields
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("notices", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="objection",
            name="contact_phone",
            field=shenbao.core.fields.EncryptedCharField(max_length=32, verbose_name="联系电话"),
        ),
        shenbao.core.fields.encrypt_existing_values("notices", "objection", "contact_phone"),
    ]
