"""The backup archive: one tar.gz with the database, the uploaded files and a manifest of SHA-256 checksums.

Layout (format "shenbao-backup", version 1):
    database/<app_label>.<model_name>.jsonl   one table: a header line {"model", "table", "columns"}, then one JSON
                                              array per row, in primary-key order
    media/<storage name>                      one uploaded file, under its name in the default storage
    manifest.json                             written last: format, version, creation time, database vendor, the
                                              applied migrations, the tables in load order with their row counts,
                                              the audit chain head and {member: {sha256, size}} for every member

`read_verified` reads an archive completely before anything is changed: every member must be a regular file with a
safe name, listed in the manifest with the same size and checksum, and the manifest must name this format and
version; any damage (a flipped bit, a truncated file, a gzip or tar error) refuses the whole archive. The verified
members are extracted into a private temporary folder, so what is restored afterwards is exactly what was checked.
"""

import hashlib
import io
import json
import tarfile
import tempfile
import time
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

FORMAT = "shenbao-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATABASE_PREFIX = "database/"
MEDIA_PREFIX = "media/"
CHUNK = 1024 * 1024
# Encrypted in the manifest with the backed-up installation's data keys (see restore._check_keys).
KEY_CHECK_TEXT = "shenbao-backup-key-check"


class ArchiveRefused(Exception):
    """The archive cannot be restored; the message says why, in Chinese."""


class HashingReader:
    """A file wrapper counting and hashing what tarfile reads from it."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size=-1):
        data = self.handle.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


class ArchiveWriter:
    """Adds members to a tar.gz and remembers each member's checksum for the manifest."""

    def __init__(self, path):
        self.tar = tarfile.open(path, "w:gz", format=tarfile.PAX_FORMAT)  # noqa: SIM115 — closed by close()/abort()
        self.members = {}

    def _info(self, name, size):
        info = tarfile.TarInfo(name)
        info.size = size
        info.mtime = int(time.time())
        info.mode = 0o600
        return info

    def add_file(self, name, handle, size):
        reader = HashingReader(handle)
        self.tar.addfile(self._info(name, size), reader)
        if reader.size != size:
            raise OSError(f"{name}: {reader.size} bytes read, {size} expected (changed while backing up?)")
        self.members[name] = {"sha256": reader.digest.hexdigest(), "size": size}

    def add_bytes(self, name, data):
        self.add_file(name, io.BytesIO(data), len(data))

    def close(self, manifest):
        manifest = {**manifest, "format": FORMAT, "version": VERSION, "members": self.members}
        data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
        self.tar.addfile(self._info(MANIFEST, len(data)), io.BytesIO(data))
        self.tar.close()

    def abort(self):
        self.tar.close()


def safe_member_name(name):
    """True for a relative POSIX path without '..', empty parts or backslashes, under one of our prefixes."""
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return False
    parts = PurePosixPath(name).parts
    if any(part in {"", ".", ".."} for part in parts) or "/".join(parts) != name:
        return False
    return name == MANIFEST or (name.startswith((DATABASE_PREFIX, MEDIA_PREFIX)) and len(parts) >= 2)


@dataclass
class VerifiedArchive:
    """An archive whose every member matched the manifest, extracted into `root` (a temporary folder)."""

    root: Path
    manifest: dict

    def path(self, member):
        return self.root / member

    @property
    def tables(self):
        return self.manifest["tables"]

    @property
    def media_members(self):
        return sorted(name for name in self.manifest["members"] if name.startswith(MEDIA_PREFIX))


def _extract(path, root):
    """Extract every member into `root`, hashing as it goes; returns ({member: {sha256, size}}, manifest bytes)."""
    seen, manifest_bytes = {}, None
    with tarfile.open(path, "r|gz") as tar:
        for member in tar:
            name = member.name
            if not member.isreg():
                raise ArchiveRefused(f"备份文件含有非普通文件的成员「{name}」，已拒绝。")
            if not safe_member_name(name):
                raise ArchiveRefused(f"备份文件含有不安全的成员名「{name}」，已拒绝。")
            if name in seen or (name == MANIFEST and manifest_bytes is not None):
                raise ArchiveRefused(f"备份文件中的成员「{name}」重复出现，已拒绝。")
            source = tar.extractfile(member)
            if name == MANIFEST:
                manifest_bytes = source.read()
                continue
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            digest, size = hashlib.sha256(), 0
            with open(target, "wb") as out:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
            seen[name] = {"sha256": digest.hexdigest(), "size": size}
    return seen, manifest_bytes


def _check_manifest(manifest_bytes, seen):
    if manifest_bytes is None:
        raise ArchiveRefused("备份文件缺少清单（manifest.json），已拒绝。")
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError as error:
        raise ArchiveRefused("备份文件的清单（manifest.json）无法读取，已拒绝。") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveRefused("该文件不是本系统的备份文件（格式标识不符），已拒绝。")
    if manifest.get("version") != VERSION:
        raise ArchiveRefused(f"备份文件格式版本为 {manifest.get('version')!r}，本系统只能恢复版本 {VERSION}，已拒绝。")
    listed = manifest.get("members")
    if not isinstance(listed, dict) or not isinstance(manifest.get("tables"), list):
        raise ArchiveRefused("备份文件的清单不完整，已拒绝。")
    missing = sorted(set(listed) - set(seen))
    if missing:
        raise ArchiveRefused(f"备份文件缺少清单所列的成员「{missing[0]}」等 {len(missing)} 项，已拒绝。")
    unlisted = sorted(set(seen) - set(listed))
    if unlisted:
        raise ArchiveRefused(f"备份文件含有清单之外的成员「{unlisted[0]}」等 {len(unlisted)} 项，已拒绝。")
    for name in sorted(listed):
        expected = listed[name]
        if not isinstance(expected, dict) or seen[name] != {key: expected.get(key) for key in ("sha256", "size")}:
            raise ArchiveRefused(f"备份文件成员「{name}」的校验和与清单不符（文件已损坏或被改动），已拒绝。")
    for table in manifest["tables"]:
        if not isinstance(table, dict) or table.get("member") not in listed:
            raise ArchiveRefused("备份文件清单所列的数据表与成员不符，已拒绝。")
    return manifest


def read_verified(path, workdir=None):
    """Check the archive at `path` completely and extract it; ArchiveRefused names the first problem.

    Returns (VerifiedArchive, cleanup): call cleanup() when done to remove the extracted copy.
    """
    if not Path(path).is_file():
        raise ArchiveRefused(f"找不到备份文件 {path}。")
    folder = tempfile.TemporaryDirectory(prefix="shenbao-restore-", dir=workdir)
    root = Path(folder.name)
    try:
        seen, manifest_bytes = _extract(path, root)
        manifest = _check_manifest(manifest_bytes, seen)
    except ArchiveRefused:
        folder.cleanup()
        raise
    except (tarfile.TarError, EOFError, zlib.error, OSError, ValueError) as error:
        folder.cleanup()
        raise ArchiveRefused(f"备份文件已损坏，无法完整读取（{type(error).__name__}），已拒绝。") from error
    return VerifiedArchive(root=root, manifest=manifest), folder.cleanup
