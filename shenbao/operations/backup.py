"""Backing up the whole installation (数据备份): every table and every uploaded file into one archive.

The database is read in one transaction, so all tables come from the same moment (PostgreSQL: REPEATABLE READ,
read only; SQLite: the transaction's snapshot). Files are read afterwards: an upload is stored before its row is
committed, so every file a backed-up row names is already there. The archive is written to a temporary name next
to the target and renamed when complete, so a failed backup never leaves a half archive under the real name.
"""

import datetime as dt
import getpass
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder

from shenbao.audit.events import Event
from shenbao.audit.selectors import get_chain_head
from shenbao.audit.services import record_event
from shenbao.core.crypto import encrypt_text

from .archive import DATABASE_PREFIX, KEY_CHECK_TEXT, MEDIA_PREFIX, ArchiveWriter
from .tables import backed_up_models, columns, dump_rows


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    sha256: str
    tables: int
    rows: int
    files: int


def applied_migrations(using):
    """{app label: sorted migration names} applied in database `using`: the schema the rows belong to."""
    applied = {}
    for app_label, name in MigrationRecorder(connections[using]).applied_migrations():
        applied.setdefault(app_label, []).append(name)
    return {app_label: sorted(names) for app_label, names in sorted(applied.items())}


def storage_files(storage, path=""):
    """Every file name in `storage`, recursively, sorted."""
    try:
        directories, files = storage.listdir(path)
    except FileNotFoundError:
        return []
    names = [f"{path}{name}" for name in files]
    for directory in directories:
        names.extend(storage_files(storage, f"{path}{directory}/"))
    return sorted(names)


def _dump_table(writer, model, using):
    """Write one table to the archive through a temporary file (a member's size must be known before it is added)."""
    fields = columns(model)
    member = f"{DATABASE_PREFIX}{model._meta.label_lower}.jsonl"
    rows = 0
    with tempfile.TemporaryFile() as spool:
        header = {"model": model._meta.label_lower, "table": model._meta.db_table}
        header["columns"] = [field.attname for field in fields]
        spool.write(json.dumps(header, ensure_ascii=False).encode() + b"\n")
        for row in dump_rows(model, using):
            spool.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode() + b"\n")
            rows += 1
        size = spool.tell()
        spool.seek(0)
        writer.add_file(member, spool, size)
    return {"model": model._meta.label_lower, "table": model._meta.db_table, "rows": rows, "member": member}


def _dump_database(writer, using):
    connection = connections[using]
    fresh = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if fresh and connection.vendor == "postgresql":
            # The transaction's first statement: one snapshot for every table. Inside a caller's transaction
            # (tests) that transaction's own view is used.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        tables = [_dump_table(writer, model, using) for model in backed_up_models(using)]
        head = get_chain_head(using=using)
        migrations = applied_migrations(using)
    return tables, head, migrations


def _dump_files(writer, storage):
    names = storage_files(storage)
    for name in names:
        size = storage.size(name)
        with storage.open(name, "rb") as handle:
            writer.add_file(f"{MEDIA_PREFIX}{name}", handle, size)
    return len(names)


def create_backup(*, path, using=DEFAULT_DB_ALIAS, storage=None, actor=None):
    """Write the database and all uploaded files to the tar.gz archive `path` and audit it (event operations:backup).

    Returns a BackupSummary. An existing file at `path` is replaced only once the new archive is complete.
    """
    storage = storage or default_storage
    path = Path(path).resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    os.close(handle)
    writer = ArchiveWriter(partial)
    try:
        tables, head, migrations = _dump_database(writer, using)
        files = _dump_files(writer, storage)
        writer.close(
            {
                "created_at": dt.datetime.now(dt.UTC).isoformat(),
                "database": {"vendor": connections[using].vendor, "migrations": migrations},
                "tables": tables,
                "audit_head": {"sequence": head[0], "hash": head[1]} if head else None,
                "files": files,
                # Proves at restore time that the target holds the keys the personal-data tokens need.
                "key_check": encrypt_text(KEY_CHECK_TEXT),
            }
        )
        os.chmod(partial, 0o600)
        os.replace(partial, path)
    except BaseException:
        writer.abort()
        Path(partial).unlink(missing_ok=True)
        raise
    digest = hashlib.sha256()
    with open(path, "rb") as archive:
        while chunk := archive.read(1024 * 1024):
            digest.update(chunk)
    summary = BackupSummary(
        path=path, sha256=digest.hexdigest(), tables=len(tables), rows=sum(t["rows"] for t in tables), files=files
    )
    record_event(
        event=Event.BACKUP,
        actor=actor,
        details={
            "file": path.name,
            "sha256": summary.sha256,
            "tables": summary.tables,
            "rows": summary.rows,
            "files": summary.files,
            "audit_head": head[0] if head else None,
            "os_user": getpass.getuser(),
        },
    )
    return summary
