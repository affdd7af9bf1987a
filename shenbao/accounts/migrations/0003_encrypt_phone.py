"""Encrypt user.phone at rest (shenbao.core.fields.EncryptedCharField): widen the column, encrypt existing rows."""

import shenbao.core.fields
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_invitation")]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="phone",
            field=shenbao.core.fields.EncryptedCharField(blank=True, max_length=32, verbose_name="手机号码"),
        ),
        shenbao.core.fields.encrypt_existing_values("accounts", "user", "phone"),
    ]
