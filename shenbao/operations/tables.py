"""Which tables a backup holds and how one row is written to and read from the archive.

Every table Django manages is backed up: each model of each installed app (ours, Django's, the libraries'),
including the tables behind many-to-many fields, whose rows keep their own primary keys. Rows are written column by
column with the field's own text form (`Field.value_to_string`) and read back with `Field.to_python`, so they are
portable between SQLite and PostgreSQL and keep full precision (Django's JSON encoder used by `dumpdata` cuts
datetimes to milliseconds, which would break the audit hash chain). Encrypted fields write their token, so the
archive holds no personal data in clear text (`shenbao.core.fields`).

Rows are inserted with Django's raw insert (the path `loaddata` takes underneath): no `save()`, no signals, no
`auto_now`, so restored rows are exactly the rows that were backed up and nothing audits them a second time.
"""

from types import SimpleNamespace

from django.apps import apps
from django.db import connections, router
from django.db.models.fields.files import FieldFile


def backed_up_models(using):
    """Every model with a table of its own in database `using`, in a stable order (app label, model name)."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    models = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.db_table in existing
        and router.allow_migrate_model(using, model)
    ]
    return sorted(models, key=lambda model: model._meta.label_lower)


def columns(model):
    """The fields stored in the model's own table (a child of multi-table inheritance: its own columns only)."""
    return list(model._meta.local_concrete_fields)


def encode_value(field, value):
    if isinstance(value, FieldFile):
        value = value.name
    if value is None:
        return None
    return field.value_to_string(SimpleNamespace(**{field.attname: value}))


def dump_rows(model, using, chunk_size=2000):
    """Each row of `model` as a list of column values ready for JSON, in primary-key order."""
    fields = columns(model)
    queryset = model._base_manager.using(using).order_by("pk").values_list(*(field.attname for field in fields))
    for row in queryset.iterator(chunk_size=chunk_size):
        yield [encode_value(field, value) for field, value in zip(fields, row, strict=True)]


def decode_value(field, value):
    if value is None:
        return None
    # A field may read its own serialised form more strictly than typed input (encrypted fields: the token
    # must decrypt, instead of being taken for text).
    return getattr(field, "from_serialized", field.to_python)(value)


def decode_row(model, fields, row):
    return model(**{field.attname: decode_value(field, value) for field, value in zip(fields, row, strict=True)})


def insert_rows(model, fields, rows, using):
    """Insert model instances exactly as given (raw insert: no save(), no signals, no auto_now)."""
    connection = connections[using]
    batch_size = max(connection.ops.bulk_batch_size(fields, rows), 1)
    manager = model._base_manager.using(using)
    for start in range(0, len(rows), batch_size):
        manager._insert(rows[start : start + batch_size], fields=fields, raw=True, using=using)
