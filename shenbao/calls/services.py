"""Loading a call file into the database (导入申报通知).

`load_call_file` validates everything first (schema, city, attachment files) and only then writes, in one
transaction (the rows are `writer`'s). It is idempotent: rows are matched by slug / (project type, code), a row is
saved only when a value differs (so a second run writes nothing and leaves no audit entries), and children that are
no longer in the file are deleted.
"""

import hashlib
from collections.abc import Callable, Iterable
from os import PathLike
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext
from pydantic import ValidationError

from shenbao.organisations.selectors import find_region, list_unit_type_codes

from .models import Call, CallState, ProjectType
from .schema import AttachmentSpec, CallFile
from .schema_errors import describe_errors
from .writer import AttachmentFile, Changes, delete_files, write_attachments, write_call


class CallFileError(Exception):
    """A call file that cannot be loaded; `lines` name the offending fields in Chinese."""

    def __init__(self, source: str, lines: Iterable[str]) -> None:
        self.source = source
        self.lines = list(lines)
        super().__init__("\n".join(f"{source}: {line}" for line in self.lines))


type ReadAttachment = Callable[[AttachmentSpec], bytes | None]


def _display_path(path: str | PathLike[str]) -> str:
    resolved = Path(path).resolve()
    try:
        return str(resolved.relative_to(Path(settings.BASE_DIR).resolve()))
    except ValueError:
        return str(resolved)


def read_call_file(*, path: str | PathLike[str]) -> tuple[CallFile, bytes]:
    """Parse and validate a call file without writing anything; returns (CallFile, raw bytes)."""
    source = _display_path(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise CallFileError(source, [gettext("无法读取文件：%(strerror)s") % {"strerror": exc.strerror}]) from exc
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise CallFileError(source, [gettext("文件必须使用 UTF-8 编码")]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = (
            gettext("第%(line)s行第%(column)s列：") % {"line": mark.line + 1, "column": mark.column + 1} if mark else ""
        )
        raise CallFileError(
            source,
            [
                gettext("%(where)sYAML 格式错误（%(problem)s）")
                % {"where": where, "problem": getattr(exc, "problem", exc)}
            ],
        ) from exc
    return validate_call_document(data=data, source=source), raw


def validate_call_document(*, data: object, source: str) -> CallFile:
    """A call document (the dict of a call file) checked by the schema; CallFileError names the fields."""
    if not isinstance(data, dict):
        raise CallFileError(source, [gettext("文件内容必须是键值映射（slug: …、title: … 等）")])
    existing = list_unit_type_codes()
    try:
        return CallFile.model_validate(data, context={"existing_unit_types": existing})
    except ValidationError as exc:
        raise CallFileError(source, describe_errors(exc)) from exc


def _attachment_files(spec: CallFile, read_attachment: ReadAttachment, source: str) -> list[AttachmentFile]:
    files: list[AttachmentFile] = []
    errors: list[str] = []
    for index, attachment in enumerate(spec.attachments):
        content = read_attachment(attachment)
        if content is None:
            errors.append(
                gettext("字段 attachments[%(index)s].path：文件不存在：%(path)s")
                % {"index": index, "path": attachment.path}
            )
            continue
        files.append((attachment, index, content))
    if errors:
        raise CallFileError(source, errors)
    return files


def _file_reader(base_dir: Path) -> ReadAttachment:
    def read(attachment: AttachmentSpec) -> bytes | None:
        file_path = (base_dir / attachment.path).resolve()
        return file_path.read_bytes() if file_path.is_file() else None

    return read


def load_call_file(*, path: str | PathLike[str]) -> Call:
    """Validate `path` and write its call, project types, rules, materials, rubrics and attachments.

    A call loaded from a file is published (a call already in the database keeps its state).
    """
    source = _display_path(path)
    spec, raw = read_call_file(path=path)
    return save_call_document(
        spec=spec,
        source=source,
        sha256=hashlib.sha256(raw).hexdigest(),
        read_attachment=_file_reader(Path(path).resolve().parent),
    )


def save_call_document(
    *, spec: CallFile, source: str, sha256: str, read_attachment: ReadAttachment, state: str | None = None
) -> Call:
    """Write a validated call document (`spec`, a CallFile) in one transaction; the one writer of calls.

    `read_attachment(attachment_spec)` gives the bytes of an attachment or None when there is none. `state` is the
    state of a new call (default: published); an existing call keeps its own.
    """
    city = find_region(key=spec.city)
    if city is None:
        raise CallFileError(
            source, [gettext("字段 city：区域 %(city)s 不存在，请先导入行政区划") % {"city": spec.city}]
        )
    files = _attachment_files(spec, read_attachment, source)
    numbering = numbering_conflicts(spec)
    if numbering:
        raise CallFileError(source, numbering)
    changes = Changes()
    try:
        with transaction.atomic():
            call = write_call(
                spec, city=city, source=source, sha256=sha256, changes=changes, state=state or CallState.PUBLISHED
            )
            write_attachments(call, files, changes)
            transaction.on_commit(lambda: delete_files(changes.obsolete_files))
    except ProtectedError as exc:
        delete_files(changes.saved_files)
        names = "、".join(sorted({str(obj) for obj in exc.protected_objects})[:5])
        raise CallFileError(
            source, [gettext("文件中已删除的内容仍被使用，不能删除：%(names)s") % {"names": names}]
        ) from exc
    except BaseException:
        delete_files(changes.saved_files)
        raise
    call.changes = changes.items
    return call


def numbering_conflicts(spec: CallFile) -> list[str]:
    """Why the numbers `spec` would give collide with another call's or change under existing applications.

    申报编号 are `<application_number_prefix>-…` and unique across the platform, so no two calls share the prefix.
    牌匾编号 are `<plaque_number_prefix>-<year>-<sequence>`: two calls of one year must not share a plaque prefix
    (next year's call of the same city keeps its prefix, its year differs). Lines in the call-file error format.
    """
    lines: list[str] = []
    others = Call.objects.exclude(slug=spec.slug)
    same_prefix = others.filter(application_number_prefix=spec.number_prefix).first()
    if same_prefix is not None:
        field = "application_number_prefix" if spec.application_number_prefix else "year"
        lines.append(
            gettext(
                "字段 %(field)s：申报编号前缀 %(number_prefix)s 已由申报通知「%(slug)s」使用"
                "，两次申报的编号会重复；"
                "请在 application_number_prefix 中为本通知另设前缀（如 %(number_prefix)sB）"
            )
            % {"field": field, "number_prefix": spec.number_prefix, "slug": same_prefix.slug}
        )
    current = Call.objects.filter(slug=spec.slug).first()
    if (
        current is not None
        and current.application_number_prefix != spec.number_prefix
        and current.applications.exists()
    ):
        lines.append(
            gettext(
                "字段 application_number_prefix：本通知已有申报使用前缀 %(application_number_prefix)s 编号，不能再修改"
            )
            % {"application_number_prefix": current.application_number_prefix}
        )
    taken = dict(
        ProjectType.objects.filter(call__year=spec.year)
        .exclude(call__slug=spec.slug)
        .values_list("plaque_number_prefix", "call__slug")
    )
    for index, project_type in enumerate(spec.project_types):
        if project_type.plaque_prefix in taken:
            lines.append(
                gettext(
                    "字段 project_types[%(index)s].plaque_number_prefix："
                    "牌匾编号前缀 %(plaque_prefix)s 已由同年度的申报通知「%(taken)s」使用，"
                    "牌匾编号会重复"
                )
                % {
                    "index": index,
                    "plaque_prefix": project_type.plaque_prefix,
                    "taken": taken[project_type.plaque_prefix],
                }
            )
    return lines
