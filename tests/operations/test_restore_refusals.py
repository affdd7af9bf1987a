"""A damaged or foreign archive, another schema or a non-empty target: refused in Chinese, exit 1, nothing changed."""

import hashlib
import io
import json
import tarfile

import pytest
from cryptography.fernet import Fernet
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from shenbao.accounts.models import User
from shenbao.audit.services import record_event
from shenbao.core import crypto
from shenbao.operations.archive import MANIFEST
from tests.factories import UserFactory

from .snapshots import snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(media, tmp_path):
    """A valid archive of a small installation; the installation itself is rolled back, so the target is fresh."""
    path = tmp_path / "backup.tar.gz"
    with transaction.atomic():
        UserFactory(username="backed_up", phone="13812345678")
        record_event(event="test_event")
        default_storage.save("materials/a.pdf", ContentFile(b"%PDF-1.4 test"))
        call_command("backup", str(path), stdout=io.StringIO())
        transaction.set_rollback(True)
    default_storage.delete("materials/a.pdf")
    return path


def members_of(path):
    with tarfile.open(path) as tar:
        return [(member, tar.extractfile(member).read() if member.isreg() else b"") for member in tar.getmembers()]


def repack(source, target, change):
    """Write `target` with the members of `source` as changed by change(list of (TarInfo, bytes)) → same shape."""
    members = change(members_of(source))
    with tarfile.open(target, "w:gz") as tar:
        for info, data in members:
            info.size = len(data) if info.isreg() else 0
            tar.addfile(info, io.BytesIO(data) if info.isreg() else None)
    return target


def replace_member(name, new_data):
    return lambda members: [(info, new_data if info.name == name else data) for info, data in members]


def with_manifest(edit):
    def change(members):
        result = []
        for info, data in members:
            if info.name == MANIFEST:
                manifest = json.loads(data)
                edit(manifest)
                data = json.dumps(manifest).encode()
            result.append((info, data))
        return result

    return change


def refused(path):
    before = snapshot()
    with pytest.raises(CommandError) as failure:
        call_command("restore", str(path), stdout=io.StringIO())
    assert failure.value.returncode == 1
    assert snapshot() == before, "a refused restore changed the database or the files"
    message = str(failure.value)
    assert message.startswith("恢复被拒绝，未做任何改动")
    return message


def test_a_valid_archive_restores_into_this_fresh_database(archive):
    call_command("restore", str(archive), stdout=io.StringIO())

    assert User.objects.get(username="backed_up").phone == "13812345678"
    assert default_storage.open("materials/a.pdf").read() == b"%PDF-1.4 test"


def test_a_flipped_byte_is_refused(archive, tmp_path):
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    broken = tmp_path / "flipped.tar.gz"
    broken.write_bytes(bytes(data))

    assert "已拒绝" in refused(broken)


def test_a_truncated_archive_is_refused(archive, tmp_path):
    broken = tmp_path / "truncated.tar.gz"
    broken.write_bytes(archive.read_bytes()[:-200])

    message = refused(broken)

    assert "已损坏" in message or "缺少清单" in message


def test_a_member_that_differs_from_its_checksum_is_refused(archive, tmp_path):
    broken = repack(archive, tmp_path / "altered.tar.gz", replace_member("media/materials/a.pdf", b"%PDF-1.4 evil"))

    message = refused(broken)

    assert "media/materials/a.pdf" in message and "校验和与清单不符" in message


def test_an_altered_table_is_refused(archive, tmp_path):
    def change(members):
        return [
            (info, data.replace(b"backed_up", b"intruder1") if info.name == "database/accounts.user.jsonl" else data)
            for info, data in members
        ]

    message = refused(repack(archive, tmp_path / "altered.tar.gz", change))

    assert "database/accounts.user.jsonl" in message


def test_an_archive_without_manifest_is_refused(archive, tmp_path):
    broken = repack(archive, tmp_path / "no-manifest.tar.gz", lambda ms: [m for m in ms if m[0].name != MANIFEST])

    assert "缺少清单" in refused(broken)


def test_another_format_version_is_refused(archive, tmp_path):
    broken = repack(archive, tmp_path / "v2.tar.gz", with_manifest(lambda manifest: manifest.update(version=2)))

    assert "格式版本" in refused(broken)


def test_a_foreign_tar_is_refused(archive, tmp_path):
    broken = repack(archive, tmp_path / "foreign.tar.gz", with_manifest(lambda manifest: manifest.update(format="x")))

    assert "不是本系统的备份文件" in refused(broken)


def test_a_member_missing_from_the_archive_is_refused(archive, tmp_path):
    broken = repack(
        archive, tmp_path / "missing.tar.gz", lambda ms: [m for m in ms if m[0].name != "media/materials/a.pdf"]
    )

    assert "缺少清单所列的成员「media/materials/a.pdf」" in refused(broken)


def test_a_member_not_in_the_manifest_is_refused(archive, tmp_path):
    def change(members):
        extra = tarfile.TarInfo("media/extra.txt")
        return [*members[:-1], (extra, b"extra"), members[-1]]

    assert "清单之外的成员「media/extra.txt」" in refused(repack(archive, tmp_path / "extra.tar.gz", change))


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/evil", "media/../../evil", "other/file.txt"])
def test_an_unsafe_member_name_is_refused(archive, tmp_path, name):
    def change(members):
        return [(tarfile.TarInfo(name), b"x"), *members]

    assert "不安全的成员名" in refused(repack(archive, tmp_path / "unsafe.tar.gz", change))


def test_a_link_member_is_refused(archive, tmp_path):
    def change(members):
        link = tarfile.TarInfo("media/link")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        return [(link, b""), *members]

    assert "非普通文件" in refused(repack(archive, tmp_path / "link.tar.gz", change))


def test_an_archive_of_another_schema_is_refused(archive, tmp_path):
    def edit(manifest):
        manifest["database"]["migrations"]["audit"].append("9999_future")

    message = refused(repack(archive, tmp_path / "schema.tar.gz", with_manifest(edit)))

    assert "数据库结构与本安装不一致" in message and "audit" in message


def test_a_target_with_data_is_refused(archive):
    UserFactory(username="already_here")

    message = refused(archive)

    assert "空数据库" in message and "accounts.user" in message


def test_a_target_with_uploaded_files_is_refused(archive):
    default_storage.save("leftover.txt", ContentFile(b"x"))

    assert "上传文件目录中已有文件" in refused(archive)


def test_a_missing_file_is_refused(tmp_path, media):
    assert "找不到备份文件" in refused(tmp_path / "nowhere.tar.gz")


def test_an_empty_file_is_refused(tmp_path, media):
    empty = tmp_path / "empty.tar.gz"
    empty.write_bytes(b"")

    assert "已拒绝" in refused(empty)


@pytest.fixture
def other_data_keys(settings):
    settings.SHENBAO_DATA_KEYS = [Fernet.generate_key().decode()]
    crypto._fernet.cache_clear()
    yield
    crypto._fernet.cache_clear()


def test_a_target_without_the_data_keys_is_refused(archive, other_data_keys):
    assert "SHENBAO_DATA_KEYS" in refused(archive)


def test_a_row_that_cannot_be_read_is_refused(archive, tmp_path):
    def change(members):
        result = []
        for info, data in members:
            if info.name == "database/accounts.user.jsonl":
                data = data.replace(b"enc:", b"enc:x", 1)
            result.append((info, data))
        return result

    damaged = repack(archive, tmp_path / "row.tar.gz", change)
    # Keep the manifest's checksums in step, as a faulty backup program would.
    fixed = repack(damaged, tmp_path / "row-fixed.tar.gz", with_manifest(lambda manifest: _rehash(manifest, damaged)))

    assert "accounts.user" in refused(fixed)


def _rehash(manifest, path):
    for info, data in members_of(path):
        if info.name in manifest["members"]:
            manifest["members"][info.name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
