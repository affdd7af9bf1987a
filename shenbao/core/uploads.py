"""The one upload pipeline: every file a person hands the platform (申报材料, 佐证材料, 异议证明材料) goes through it.

`check_upload` cleans the file name (no folders, no control or format characters such as NUL or U+202E, no
characters Windows refuses), runs the caller's own permission check, refuses an empty or oversized file, identifies
the content (`filetypes`: by content, never by name or the browser's type; the name's extension must agree) and
refuses risky content of an accepted kind (`risky_content`: PDF scripts and launch actions, polyglots, pixel
floods), and hashes it (SHA-256). A refusal is audited (result "failure", with the reason) and raised again.
`storing` saves the checked file under a generated name inside the caller's transaction and deletes it again
when that transaction fails, so no file without its row is left behind. The callers keep what is theirs: which
rows they write, how many files a requirement takes, and what their success entry in the audit trail says
(`upload_details` gives the file's part of it).
"""

import hashlib
import unicodedata
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from shenbao.audit.models import AuditEntry
from shenbao.audit.services import record_event

from .filetypes import Kind, accept_attribute, check_file_type, format_list

MAX_ORIGINAL_NAME_LENGTH = 120
# Characters Windows refuses in file names; replaced so the name still works when a reviewer saves the download.
UNSAFE_NAME_CHARACTERS = str.maketrans({character: "_" for character in '<>:"/\\|?*'})
# A bound on the files of one requirement or one report keeps pages and archives reasonable.
MAX_FILES = 30


@dataclass(frozen=True)
class UploadRule:
    """What an upload may be: its accepted formats (codes of `filetypes.ACCEPTABLE_KINDS`) and its size limit."""

    accepted_formats: tuple[str, ...] | list[str]
    max_size_mb: int

    @property
    def formats(self) -> str:
        """ "PDF/JPG/PNG/DOCX" for the page and the messages."""
        return format_list(self.accepted_formats)

    @property
    def accept(self) -> str:
        """The file input's `accept` hint (the server decides by content anyway)."""
        return accept_attribute(self.accepted_formats)


@dataclass(frozen=True)
class CheckedUpload:
    """A file that passed every check, with what its row records."""

    file: UploadedFile
    original_name: str
    kind: Kind
    size: int
    sha256: str


def sanitise_original_name(name: object) -> str:
    """The user's file name without folders, control/format characters (e.g. U+202E) or excessive length."""
    name = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(character for character in name if unicodedata.category(character)[0] != "C")
    name = name.translate(UNSAFE_NAME_CHARACTERS).strip().strip(".").strip()
    suffix = PurePosixPath(name).suffix if "." in name else ""
    if len(suffix) > 10:  # not a real extension; treat the whole thing as the stem
        suffix = ""
    stem = name[: len(name) - len(suffix)] if suffix else name
    stem = stem[: MAX_ORIGINAL_NAME_LENGTH - len(suffix)].strip() or _("材料")
    return f"{stem}{suffix}"


def format_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.2f}MB"
    if size >= 1024:
        return f"{size / 1024:.1f}KB"
    return _("%(size)d字节") % {"size": size}


def check_size(*, size: int, max_size_mb: int) -> None:
    """Refuse an empty file or one over `max_size_mb` (ValidationError with the reason)."""
    if not size:
        raise ValidationError(_("文件为空（0字节），已拒绝"), code="empty")
    limit = max_size_mb * 1024 * 1024
    if size > limit:
        raise ValidationError(
            _("文件大小为%(size)s（%(bytes)d字节），超过本项材料的上限%(limit)dMB（%(limit_bytes)d字节），已拒绝")
            % {"size": format_size(size), "bytes": size, "limit": max_size_mb, "limit_bytes": limit},
            code="too_large",
        )


def check_file_count(*, count: int, name: str | Promise, limit: int = MAX_FILES) -> None:
    """Refuse one more file where `count` files are already current for `name` (a requirement, 佐证材料 …)."""
    if count >= limit:
        raise ValidationError(
            _("“%(name)s”最多上传%(limit)s个文件，请先移除不需要的文件或合并后上传。") % {"name": name, "limit": limit},
            code="too_many_files",
        )


def sha256_of(uploaded_file: UploadedFile) -> str:
    """Hex SHA-256 of an uploaded file, read in chunks; the file is rewound for whoever stores it next."""
    digest = hashlib.sha256()
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    return digest.hexdigest()


def refusal_reason(error: ValidationError | PermissionDenied) -> str:
    return "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)


def check_upload(
    *,
    uploaded_file: UploadedFile,
    rule: UploadRule,
    event: str,
    target: models.Model,
    actor: Any = None,
    request: HttpRequest | None = None,
    remote_addr: str | None = None,
    details: Mapping[str, object] | None = None,
    check_allowed: Callable[[], None] | None = None,
) -> CheckedUpload:
    """Run every check of the pipeline on `uploaded_file`; returns the CheckedUpload.

    `check_allowed` is the caller's permission and state check (raises PermissionDenied or ValidationError); it
    runs after the name is cleaned, so its refusal is audited with the name too. Every refusal is recorded as
    `event` on `target` with result failure, `details` plus the cleaned name and the reason, then raised again.
    """
    original_name = sanitise_original_name(getattr(uploaded_file, "name", ""))
    try:
        if check_allowed is not None:
            check_allowed()
        size = uploaded_file.size or 0
        check_size(size=size, max_size_mb=rule.max_size_mb)
        kind = check_file_type(file=uploaded_file, name=original_name, accepted_formats=rule.accepted_formats)
    except (PermissionDenied, ValidationError) as error:
        record_event(
            event=event,
            actor=actor,
            target=target,
            request=request,
            remote_addr=remote_addr,
            result=AuditEntry.Result.FAILURE,
            details={**(details or {}), "original_name": original_name, "reason": refusal_reason(error)},
        )
        raise
    return CheckedUpload(
        file=uploaded_file, original_name=original_name, kind=kind, size=size, sha256=sha256_of(uploaded_file)
    )


def upload_details(checked: CheckedUpload) -> dict[str, object]:
    """The columns every stored upload row has, which are also the file's part of the caller's success entry in
    the audit trail."""
    return {
        "original_name": checked.original_name,
        "content_type": checked.kind.content_type,
        "size": checked.size,
        "sha256": checked.sha256,
    }


@contextmanager
def storing(instance: models.Model, checked: CheckedUpload, *, field: str = "file") -> Iterator[None]:
    """Save the checked file into `instance.<field>` under a generated name (never the user's) on entering; if the
    block raises (a refused count, a failed row insert, a rolled-back transaction), delete the stored file again."""
    file_field = getattr(instance, field)
    try:
        file_field.save(f"{uuid.uuid4().hex}.{checked.kind.extension}", checked.file, save=False)
        yield
    except BaseException:
        if file_field.name:
            file_field.storage.delete(file_field.name)
        raise
