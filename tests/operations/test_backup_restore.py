"""Backup → wipe → restore reproduces every row and every file; the audit chain still verifies; both are audited.

Runs on SQLite and, with DATABASE_URL pointing at PostgreSQL, on PostgreSQL (the wipe is `manage.py flush`, which
leaves the database as a fresh `migrate` does: empty tables plus content types and permissions).
"""

import hashlib
import io
import json
import shutil
import tarfile

import pytest
from django.core.management import call_command
from django.db import connection

from shenbao.audit import chain
from shenbao.audit.models import AuditEntry
from shenbao.audit.services import record_event
from shenbao.operations.archive import FORMAT, MANIFEST, VERSION
from tests.factories import OrganisationFactory

from .snapshots import snapshot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("documents_queued")]


def wipe(media):
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media)
    media.mkdir()


def run(command, *args):
    out = io.StringIO()
    call_command(command, *args, stdout=out, stderr=out)
    return out.getvalue()


def test_backup_wipe_restore_reproduces_every_row_and_file(installation, media, tmp_path):
    rows_before, files_before = snapshot()
    assert files_before, "the submitted application has uploaded materials"
    archive = tmp_path / "backup.tar.gz"

    output = run("backup", str(archive))

    assert "备份完成" in output
    wipe(media)
    assert AuditEntry.objects.count() == 0 and not any(media.iterdir())

    output = run("restore", str(archive))

    assert "恢复完成" in output and "哈希链校验通过" in output
    rows_after, files_after = snapshot()
    assert files_after == files_before
    audit_table = AuditEntry._meta.db_table
    restored_audit, extra = rows_after[audit_table][:-1], rows_after[audit_table][-1:]
    assert restored_audit == rows_before[audit_table]
    assert AuditEntry.objects.order_by("-sequence").first().event == "operations:restore"
    assert len(extra) == 1
    for table, rows in rows_before.items():
        if table != audit_table:
            assert rows_after[table] == rows, table


def test_the_restored_audit_chain_verifies_and_continues(installation, media, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    run("backup", str(archive))
    wipe(media)
    run("restore", str(archive))

    assert "校验通过" in run("audit_verify")
    # New rows after the restore get fresh keys (PostgreSQL sequences were moved past the restored keys).
    OrganisationFactory(name="恢复后新建单位")
    record_event(event="test_event")
    assert chain.verify_chain(AuditEntry.objects.all()).ok


def test_backup_and_restore_are_audited(installation, media, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    run("backup", str(archive))
    backup_entry = AuditEntry.objects.get(event="operations:backup")
    assert backup_entry.additional_data["sha256"] == hashlib.sha256(archive.read_bytes()).hexdigest()
    assert backup_entry.additional_data["files"] >= 1

    wipe(media)
    run("restore", str(archive))

    restore_entry = AuditEntry.objects.get(event="operations:restore")
    assert restore_entry.additional_data["sha256"] == backup_entry.additional_data["sha256"]
    assert restore_entry.additional_data["rows"] > 0
    # The backup's own entry was written after the snapshot, so it is not part of the archive.
    assert not AuditEntry.objects.filter(event="operations:backup").exists()


def test_the_archive_has_a_manifest_of_every_member_and_no_phone_in_clear(installation, media, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    run("backup", str(archive))

    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile(MANIFEST).read())
        contents = b"".join(tar.extractfile(name).read() for name in names if name.startswith("database/"))

    assert names[-1] == MANIFEST
    assert (manifest["format"], manifest["version"]) == (FORMAT, VERSION)
    assert set(manifest["members"]) == set(names) - {MANIFEST}
    assert all(len(member["sha256"]) == 64 for member in manifest["members"].values())
    assert "media/misc/说明 (1).txt" in manifest["members"]  # fullwidth-ok: a file name
    assert manifest["database"]["vendor"] == connection.vendor
    assert b"13812345678" not in contents and b"enc:" in contents
    tables = {table["model"]: table["rows"] for table in manifest["tables"]}
    assert tables["audit.auditentry"] == AuditEntry.objects.count() - 1  # the backup's own entry comes after
