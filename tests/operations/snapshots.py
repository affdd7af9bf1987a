"""The whole installation as data, to compare before a backup and after its restore."""

import hashlib

from django.core.files.storage import default_storage
from django.db import connection

from shenbao.operations.backup import storage_files
from shenbao.operations.tables import backed_up_models


def snapshot():
    """Every row of every table as the database returns it (raw SQL, primary-key order), and every file's hash."""
    rows = {}
    with connection.cursor() as cursor:
        for model in backed_up_models("default"):
            table = connection.ops.quote_name(model._meta.db_table)
            order = connection.ops.quote_name(model._meta.pk.column)
            cursor.execute(f"SELECT * FROM {table} ORDER BY {order}")
            rows[model._meta.db_table] = cursor.fetchall()
    files = {}
    for name in storage_files(default_storage):
        with default_storage.open(name, "rb") as handle:
            files[name] = hashlib.sha256(handle.read()).hexdigest()
    return rows, files
