"""A model field for personal data encrypted at rest (手机号码 and the like), with the keys of `shenbao.core.crypto`.

`EncryptedCharField(max_length=32)` reads and writes clear text in Python, forms and templates, and stores a Fernet
token in the database. `max_length` counts clear-text characters (forms and validation use it); the column is
sized for the token.

Design notes:
- A value read from the database is an `EncryptedValue`: a `str` that remembers its token. Saving it unchanged
  writes the same token again (Fernet tokens are random, so re-encrypting would rewrite every row on every save),
  and serialising it (`value_to_string`, used by `manage.py backup`) writes the token, never the clear text: a
  backup archive holds no readable phone numbers, and a restore puts back the very same bytes.
- The database cannot compare encrypted values (the same number encrypts differently each time), so every lookup
  except `isnull` is refused with an error instead of silently matching nothing. A page that must find rows by
  such a value stores a keyed hash beside it (`crypto.blind_index`), as experts' phones do.
- Masking for display is `crypto.mask_phone` (template filter `mask_phone` in `core_tags`); who sees the clear
  value is decided by each app's rules.
"""

import math

from django.core.exceptions import FieldError
from django.db import migrations, models
from django.utils.functional import cached_property

from . import crypto

# Fernet: version (1) + timestamp (8) + IV (16) + AES-CBC ciphertext (padded to 16) + HMAC (32), then base64.
_FERNET_OVERHEAD = 1 + 8 + 16 + 32


def token_length(max_characters):
    """The longest token `crypto.encrypt_text` makes for a text of `max_characters` characters."""
    longest_utf8 = 4 * max_characters
    ciphertext = (longest_utf8 // 16 + 1) * 16
    return len(crypto.TOKEN_PREFIX) + 4 * math.ceil((_FERNET_OVERHEAD + ciphertext) / 3)


class EncryptedValue(str):
    """Clear text that remembers the token it was decrypted from (see the module docstring)."""

    token = ""

    def __new__(cls, text, token=""):
        value = super().__new__(cls, text)
        value.token = token
        return value

    def __reduce__(self):
        return (EncryptedValue, (str(self), self.token))


def _decrypt(token):
    return EncryptedValue(crypto.decrypt_text(token), token)


class EncryptedCharField(models.CharField):
    description = "Text encrypted at rest"

    def db_type_parameters(self, connection):
        parameters = super().db_type_parameters(connection)
        parameters["max_length"] = self.stored_length
        return parameters

    @cached_property
    def stored_length(self):
        return token_length(self.max_length)

    def cast_db_type(self, connection):
        return self.db_type(connection)

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return _decrypt(value)

    def to_python(self, value):
        if value is None or isinstance(value, EncryptedValue):
            return value
        value = str(value)
        # A token arrives when a serialised row is loaded (restore); typed input is clear text.
        if value.startswith(crypto.TOKEN_PREFIX):
            try:
                return _decrypt(value)
            except ValueError:
                return value
        return value

    def from_serialized(self, value):
        """A value written by `value_to_string` (a backup): the token must decrypt with the configured keys."""
        if not value:
            return value
        return _decrypt(value)

    def get_prep_value(self, value):
        value = models.Field.get_prep_value(self, value)
        if value is None or value == "":
            return value
        if isinstance(value, EncryptedValue) and value.token:
            return value.token
        return crypto.encrypt_text(str(value))

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj)) or ""

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        raise FieldError(
            f"{self.model.__name__}.{self.name} is encrypted: the database cannot compare it ({lookup_name!r}); "
            "store a blind index (shenbao.core.crypto.blind_index) beside it to look rows up."
        )

    def get_transform(self, lookup_name):
        raise FieldError(f"{self.model.__name__}.{self.name} is encrypted: no transforms ({lookup_name!r}).")


def encrypt_existing_values(app_label, model_name, field_name):
    """A migration operation encrypting the clear-text values already in a column turned into EncryptedCharField.

    Put it after the AlterField that widens the column. Raw SQL, so no model code (save(), auditlog) runs: this is
    a storage change, not a change of the data. Values that already are tokens are left alone, so it can run twice.
    Reversible: going back decrypts (before the AlterField narrows the column again).
    """

    def convert(apps, schema_editor, *, forwards):
        model = apps.get_model(app_label, model_name)
        quote = schema_editor.quote_name
        table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
        column = quote(model._meta.get_field(field_name).column)
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"SELECT {pk}, {column} FROM {table} WHERE {column} IS NOT NULL AND {column} <> ''")
            rows = cursor.fetchall()
            for row_pk, value in rows:
                is_token = value.startswith(crypto.TOKEN_PREFIX)
                if forwards and not is_token:
                    new_value = crypto.encrypt_text(value)
                elif not forwards and is_token:
                    new_value = crypto.decrypt_text(value)
                else:
                    continue
                cursor.execute(f"UPDATE {table} SET {column} = %s WHERE {pk} = %s", [new_value, row_pk])

    def encrypt(apps, schema_editor):
        convert(apps, schema_editor, forwards=True)

    def decrypt(apps, schema_editor):
        convert(apps, schema_editor, forwards=False)

    return migrations.RunPython(encrypt, decrypt)
