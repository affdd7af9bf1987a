"""Encrypt organisation.contact_phone at rest (shenbao.core.fields.EncryptedCharField): widen the column, encrypt existing rows."""

import shenbao.core.fields
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="organisation",
            name="contact_phone",
            field=shenbao.core.fields.EncryptedCharField(blank=True, max_length=32, verbose_name="联系电话"),
        ),
        shenbao.core.fields.encrypt_existing_values("organisations", "organisation", "contact_phone"),
    ]
