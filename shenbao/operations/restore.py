"""Restoring an installation from a backup archive (数据恢复) into a fresh installation.

Order of work, so that a refused archive changes nothing:
1. the archive is read completely and every member checked against the manifest (`archive.read_verified`);
2. the target is checked: the same migrations applied, every table empty (a fresh `migrate`), no uploaded files.
   Only the rows `migrate` itself creates (content types and permissions) may exist; they are replaced by the
   archive's, whose primary keys the other rows (audit entries, permissions) refer to;
3. in one transaction: the rows are inserted as they were (primary keys kept), foreign keys are checked, the
   PostgreSQL sequences are moved past the highest keys, the files are written, the restore is audited;
   any failure rolls the database back and removes the files written so far.

An empty target is required rather than merged into: the audit table is append-only (its triggers refuse UPDATE
and DELETE, not INSERT), and mixing two histories would break both the primary keys and the audit hash chain.
The restored chain continues with the restore's own audit entry and is verified before the command ends.
"""

import getpass
import hashlib
import json
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from shenbao.audit.events import Event
from shenbao.audit.selectors import verify_stored_chain
from shenbao.audit.services import record_event
from shenbao.core.crypto import decrypt_text

from .archive import KEY_CHECK_TEXT, MEDIA_PREFIX, ArchiveRefused, read_verified
from .backup import applied_migrations, storage_files
from .tables import backed_up_models, columns, decode_row, insert_rows

# Rows `migrate` creates in every installation (post_migrate); the archive's replace them.
MIGRATE_CREATED = ("auth.permission", "contenttypes.contenttype")
BATCH = 1000


@dataclass(frozen=True)
class RestoreSummary:
    tables: int
    rows: int
    files: int
    chain_ok: bool
    chain_message: str


def _archive_digest(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _header(archive, table):
    with open(archive.path(table["member"]), "rb") as handle:
        return json.loads(handle.readline())


def _check_schema(archive, using):
    wanted = archive.manifest.get("database", {}).get("migrations")
    have = applied_migrations(using)
    if wanted != have:
        differing = sorted(
            label for label in set(wanted or {}) | set(have) if (wanted or {}).get(label) != have.get(label)
        )
        raise ArchiveRefused(
            "备份的数据库结构与本安装不一致（迁移不同的应用："
            + "、".join(differing[:5])
            + "）：请先安装与备份时相同的版本并执行 migrate，再恢复。"
        )
    for table in archive.tables:
        try:
            model = apps.get_model(table["model"])
        except (LookupError, ValueError) as error:
            raise ArchiveRefused(f"备份中的数据表 {table['model']} 在本安装中不存在，已拒绝。") from error
        if _header(archive, table).get("columns") != [field.attname for field in columns(model)]:
            raise ArchiveRefused(f"备份中数据表 {table['model']} 的列与本安装不一致，已拒绝。")


def _check_keys(archive):
    try:
        if decrypt_text(archive.manifest.get("key_check") or "") == KEY_CHECK_TEXT:
            return
    except ValueError:
        pass
    raise ArchiveRefused(
        "本安装的数据密钥（SHENBAO_DATA_KEYS）无法解密备份中的加密个人信息：请配置与备份时相同的密钥后再恢复。"
    )


def _check_empty(using, storage):
    occupied = [
        model._meta.label_lower
        for model in backed_up_models(using)
        if model._meta.label_lower not in MIGRATE_CREATED and model._base_manager.using(using).exists()
    ]
    if occupied:
        raise ArchiveRefused(
            "只能恢复到全新安装的空数据库：数据表 "
            + "、".join(occupied[:5])
            + (f" 等 {len(occupied)} 张表" if len(occupied) > 5 else "")
            + " 已有数据，已拒绝（审计记录只能追加，不能覆盖）。"
        )
    present = storage_files(storage)
    if present:
        raise ArchiveRefused(f"只能恢复到全新安装：上传文件目录中已有文件（如「{present[0]}」），已拒绝。")


def _remove_migrate_created_rows(using):
    connection = connections[using]
    with connection.cursor() as cursor:
        for label in MIGRATE_CREATED:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(apps.get_model(label)._meta.db_table)}")


def _load_table(archive, table, using):
    model = apps.get_model(table["model"])
    fields = columns(model)
    count = 0
    with open(archive.path(table["member"]), "rb") as handle:
        handle.readline()  # the header, checked in _check_schema
        lines = iter(handle)
        while batch := list(islice(lines, BATCH)):
            try:
                rows = [decode_row(model, fields, json.loads(line)) for line in batch]
            except (ValueError, TypeError, ValidationError) as error:
                raise ArchiveRefused(f"数据表 {table['model']} 的数据无法读取（{error}），已撤销恢复。") from error
            insert_rows(model, fields, rows, using)
            count += len(rows)
    if count != table["rows"]:
        raise ArchiveRefused(f"数据表 {table['model']} 的行数 {count} 与清单的 {table['rows']} 不符，已撤销恢复。")
    return model, count


def _write_files(archive, storage, written):
    for member in archive.media_members:
        name = member[len(MEDIA_PREFIX) :]
        with open(archive.path(member), "rb") as handle:
            saved = storage.save(name, File(handle, name=name))
        written.append(saved)
        if saved != name:
            raise ArchiveRefused(f"上传文件「{name}」无法按原名写回（存储返回「{saved}」），已撤销恢复。")


def restore_backup(*, path, using=DEFAULT_DB_ALIAS, storage=None, workdir=None):
    """Bring the fresh installation to the state saved in the archive at `path`; ArchiveRefused if it cannot.

    Nothing is changed unless the whole archive checks out and the target is empty (see the module docstring).
    """
    storage = storage or default_storage
    archive, cleanup = read_verified(path, workdir=workdir)
    written = []
    try:
        _check_schema(archive, using)
        _check_keys(archive)
        _check_empty(using, storage)
        connection = connections[using]
        with transaction.atomic(using=using):
            _remove_migrate_created_rows(using)
            loaded = [_load_table(archive, table, using) for table in archive.tables]
            models = [model for model, _count in loaded]
            connection.check_constraints(table_names=[model._meta.db_table for model in models])
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(statement)
            _write_files(archive, storage, written)
            ContentType.objects.clear_cache()
            record_event(
                event=Event.RESTORE,
                details={
                    "file": Path(path).name,
                    "sha256": _archive_digest(path),
                    "created_at": archive.manifest.get("created_at"),
                    "tables": len(loaded),
                    "rows": sum(count for _model, count in loaded),
                    "files": len(written),
                    "os_user": getpass.getuser(),
                },
            )
            chain = verify_stored_chain(using=using)
    except BaseException:
        for name in written:
            storage.delete(name)
        raise
    finally:
        ContentType.objects.clear_cache()
        cleanup()
    return RestoreSummary(
        tables=len(loaded),
        rows=sum(count for _model, count in loaded),
        files=len(written),
        chain_ok=chain.ok,
        chain_message=chain.problem.message if chain.problem else "",
    )
