"""Backup and restore with the uploads on S3-compatible object storage (SHENBAO_MEDIA_STORAGE=s3): both go through
the storage API (list, size, open, save), so the archive holds the bucket's files and a restore writes them back
under their names. The S3 server is moto's in-process mock (an outside service)."""

import io

import boto3
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from moto import mock_aws

from shenbao.audit.models import AuditEntry
from shenbao.core.nodes import media_storage_from_env

from .snapshots import snapshot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("documents_queued")]
BUCKET = "shenbao-backup-test"
REGION = "cn-north-1"


@pytest.fixture
def media(settings):
    """Overrides the folder of tests/operations/conftest.py: the installation's uploads go to a private bucket."""
    env = {"SHENBAO_MEDIA_STORAGE": "s3", "SHENBAO_S3_BUCKET": BUCKET, "SHENBAO_S3_REGION": REGION}
    with mock_aws():
        client = boto3.client("s3", region_name=REGION)
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        settings.STORAGES = {
            **settings.STORAGES,
            "default": media_storage_from_env(lambda name, default: env.get(name, default)),
        }
        yield client


def run(command, *args):
    out = io.StringIO()
    call_command(command, *args, stdout=out, stderr=out)
    return out.getvalue()


def test_backup_wipe_restore_reproduces_the_bucket(installation, media, tmp_path):
    rows_before, files_before = snapshot()
    assert any(name.startswith("applications/materials/") for name in files_before)
    archive = tmp_path / "backup.tar.gz"

    assert "备份完成" in run("backup", str(archive))
    call_command("flush", interactive=False, verbosity=0)
    for item in media.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        media.delete_object(Bucket=BUCKET, Key=item["Key"])

    output = run("restore", str(archive))

    assert "恢复完成" in output and "哈希链校验通过" in output
    rows_after, files_after = snapshot()
    assert files_after == files_before
    audit_table = AuditEntry._meta.db_table
    assert {table: rows for table, rows in rows_after.items() if table != audit_table} == {
        table: rows for table, rows in rows_before.items() if table != audit_table
    }
    assert len(media.list_objects_v2(Bucket=BUCKET)["Contents"]) == len(files_before)


def test_a_restore_into_a_bucket_that_holds_files_is_refused(installation, media, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    run("backup", str(archive))
    call_command("flush", interactive=False, verbosity=0)

    with pytest.raises(CommandError, match="上传文件目录中已有文件"):
        run("restore", str(archive))
