"""Identifying an uploaded file by its content, never by its name or the browser's content type (the upload
pipeline `core.uploads` calls `check_file_type` for materials, 佐证材料 and objection evidence alike).

Accepted kinds: PDF, PNG, JPEG, DOCX and, only where a requirement lists "doc", the legacy Word format (OLE2).
Everything else is refused with a Chinese message that names what was found (可执行程序, 网页文件 …).

Decision on names: the file name's extension must agree with the detected kind (a PNG named `.pdf` is refused).
Reviewers download the file under its original name, so a wrong extension would open in the wrong program or not
at all; a mismatch is also the usual sign of a disguised file. The applicant renames and uploads again.
"""

import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath
from xml.etree import ElementTree

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .risky_content import find_risk

HEAD_SIZE = 8192
# ISO 32000 lets readers look for the end-of-file marker in the last 1024 bytes.
PDF_TAIL_SIZE = 1024
# Limits that keep a hostile ZIP (a "zip bomb", millions of entries) from costing more than a glance.
MAX_ZIP_ENTRIES = 5000
MAX_CONTENT_TYPES_SIZE = 1024 * 1024

CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
WORD_MACRO_MAIN = "application/vnd.ms-word.document.macroenabled.main+xml"
WORD_TEMPLATE_MAINS = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroenabledtemplate.main+xml",
)
VBA_PROJECT = "application/vnd.ms-office.vbaproject"


@dataclass(frozen=True)
class Kind:
    code: str  # the format code used in MaterialRequirement.accepted_formats
    label: str  # Chinese name shown in messages
    content_type: str
    extensions: tuple  # allowed file-name extensions, the first one used for the stored name

    @property
    def extension(self):
        return self.extensions[0]


ACCEPTABLE_KINDS = {
    "pdf": Kind("pdf", "PDF文档", "application/pdf", ("pdf",)),
    "png": Kind("png", "PNG图片", "image/png", ("png",)),
    "jpg": Kind("jpg", "JPG图片", "image/jpeg", ("jpg", "jpeg")),
    "docx": Kind(
        "docx", "DOCX文档", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",)
    ),
    "doc": Kind("doc", "DOC文档（Word 97-2003）", "application/msword", ("doc",)),
}
FORMAT_ALIASES = {"jpeg": "jpg"}


@dataclass(frozen=True)
class Detection:
    """What the content is: an acceptable `kind`, or a Chinese `label` of what was found instead."""

    kind: Kind | None = None
    label: str = ""  # e.g. "可执行程序"; empty when the content is not recognised at all
    problem: str = ""  # why a file that looks like an acceptable kind is still refused (damaged, macros …)


def normalise_formats(formats):
    """Requirement format codes, lower-case, aliases folded ("jpeg" → "jpg"), order kept, duplicates dropped."""
    seen = []
    for code in formats:
        code = FORMAT_ALIASES.get(str(code).lower(), str(code).lower())
        if code not in seen:
            seen.append(code)
    return seen


def format_list(formats):
    """ "PDF/JPG/PNG/DOCX" for messages."""
    return "/".join(code.upper() for code in normalise_formats(formats))


def accept_attribute(formats):
    """ ".pdf,.jpg,.jpeg" for an <input type="file" accept>."""
    kinds = [ACCEPTABLE_KINDS[code] for code in normalise_formats(formats) if code in ACCEPTABLE_KINDS]
    return ",".join(f".{extension}" for kind in kinds for extension in kind.extensions)


def _read_head_and_tail(file):
    file.seek(0)
    head = file.read(HEAD_SIZE)
    file.seek(0, 2)
    size = file.tell()
    file.seek(max(0, size - PDF_TAIL_SIZE))
    tail = file.read(PDF_TAIL_SIZE)
    file.seek(0)
    return head, tail


def _detect_pdf(tail):
    if b"%%EOF" not in tail:
        return Detection(
            kind=ACCEPTABLE_KINDS["pdf"],
            problem=_("文件以PDF文件头开始，但缺少PDF文件结尾标记，可能已损坏或未完整上传"),
        )
    return Detection(kind=ACCEPTABLE_KINDS["pdf"])


def _detect_png(head):
    # Signature, then the IHDR chunk first: length 13, type, width, height (non-zero), …, CRC over type + data.
    if len(head) < 33 or head[8:16] != b"\x00\x00\x00\rIHDR":
        return Detection(kind=ACCEPTABLE_KINDS["png"], problem=_("文件以PNG签名开始，但缺少图像头（IHDR），可能已损坏"))
    width, height = struct.unpack(">II", head[16:24])
    (crc,) = struct.unpack(">I", head[29:33])
    if not width or not height or zlib.crc32(head[12:29]) != crc:
        return Detection(kind=ACCEPTABLE_KINDS["png"], problem=_("PNG图像头（IHDR）无效，文件可能已损坏"))
    return Detection(kind=ACCEPTABLE_KINDS["png"])


def _detect_jpeg(head):
    # SOI (FFD8) must be followed by a segment marker: APPn, DQT, DHT, SOFn, COM, DRI or SOS.
    marker = head[3] if len(head) > 3 else None
    valid = marker is not None and (0xE0 <= marker <= 0xEF or marker in b"\xdb\xc4\xc0\xc1\xc2\xfe\xdd\xda")
    if not valid:
        return Detection(kind=ACCEPTABLE_KINDS["jpg"], problem=_("文件以JPG文件头开始，但后续结构无效，可能已损坏"))
    return Detection(kind=ACCEPTABLE_KINDS["jpg"])


def _content_types(archive):
    try:
        info = archive.getinfo("[Content_Types].xml")
    except KeyError:
        return None
    if info.file_size > MAX_CONTENT_TYPES_SIZE:
        return None
    data = archive.read(info)
    # Entity declarations are never needed in OOXML and are how XML entity-expansion attacks start.
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return None
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return None
    defaults = {
        element.get("Extension", "").lower(): element.get("ContentType", "").lower()
        for element in root.iter(f"{CONTENT_TYPES_NS}Default")
    }
    overrides = {
        element.get("PartName", ""): element.get("ContentType", "").lower()
        for element in root.iter(f"{CONTENT_TYPES_NS}Override")
    }
    return defaults, overrides


def _detect_zip(file):
    """DOCX when the package declares a WordprocessingML main document at word/document.xml; else name the kind."""
    zip_label = _("ZIP压缩包")
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                return Detection(label=zip_label)
            names = {info.filename for info in infos}
            if "mimetype" in names and any(name.startswith("META-INF/") for name in names):
                return Detection(label=_("OpenDocument或其他打包文档"))
            if "OFD.xml" in names:
                return Detection(label=_("OFD版式文件"))
            declared = _content_types(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, NotImplementedError, RuntimeError, EOFError):
        return Detection(label=_("损坏的ZIP压缩包"))
    finally:
        file.seek(0)
    if declared is None:
        return Detection(label=zip_label)
    defaults, overrides = declared
    types = set(overrides.values()) | set(defaults.values())
    if WORD_MACRO_MAIN in types or VBA_PROJECT in types or "vbaProject.bin" in {PurePosixPath(n).name for n in names}:
        return Detection(label=_("启用宏的Word文档（DOCM）"))
    if any(template in types for template in WORD_TEMPLATE_MAINS):
        return Detection(label=_("Word模板文件（DOTX）"))
    if overrides.get("/word/document.xml") == WORD_MAIN and "word/document.xml" in names:
        return Detection(kind=ACCEPTABLE_KINDS["docx"])
    if any("spreadsheetml" in value or "ms-excel" in value for value in types):
        return Detection(label=_("Excel表格"))
    if any("presentationml" in value or "ms-powerpoint" in value for value in types):
        return Detection(label=_("PowerPoint演示文稿"))
    return Detection(label=zip_label)


def _utf16(name):
    return name.encode("utf-16-le")


def _read_all(file, limit=64 * 1024 * 1024):
    file.seek(0)
    data = file.read(limit)
    file.seek(0)
    return data


def _detect_ole2(file):
    """Legacy Office compound file: tell Word from Excel/PowerPoint by the directory entry names it holds.

    A heuristic (directory names are stored as UTF-16 strings); good enough to name the kind and to refuse
    documents carrying a VBA macro storage.
    """
    data = _read_all(file)
    if _utf16("WordDocument") in data:
        if _utf16("Macros") in data or _utf16("_VBA_PROJECT") in data:
            return Detection(label=_("含宏的Word 97-2003文档"))
        return Detection(kind=ACCEPTABLE_KINDS["doc"])
    if _utf16("Workbook") in data or _utf16("Book") in data:
        return Detection(label=_("Excel 97-2003表格"))
    if _utf16("PowerPoint Document") in data:
        return Detection(label=_("PowerPoint 97-2003演示文稿"))
    return Detection(label=_("OLE复合文档（如MSI安装包）"))


MARKUP_PREFIX = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<\s*([!?a-zA-Z%][a-zA-Z0-9:_-]*)")
SCRIPT_HINTS = re.compile(
    rb"(?i)^\s*(?:@echo|rem\s|set\s+\w+=|#!|param\s*\(|function\s|var\s|const\s|let\s|import\s|from\s+\S+\s+import"
    rb"|def\s|sub\s|dim\s|option\s+explicit|on\s+error|powershell|wscript|cscript|<\?php)",
    re.MULTILINE,
)


HTML_TAGS = (b"!doctype", b"html", b"head", b"body", b"script", b"iframe", b"meta", b"!--")


def _detect_markup(head):
    """HTML, SVG, XML or server-page markup at the start, whatever follows (a page with a PDF glued behind it)."""
    match = MARKUP_PREFIX.match(head)
    if not match:
        return None
    tag = match.group(1).lower()
    lowered = head.lower()
    if tag in (b"?php", b"%"):
        return Detection(label=_("脚本文件"))
    if b"<svg" in lowered:
        return Detection(label=_("SVG图像（可含脚本）"))
    if tag in HTML_TAGS or b"<html" in lowered:
        return Detection(label=_("HTML网页文件"))
    return Detection(label=_("XML或其他标记文件"))


def _is_text(head):
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # a multi-byte character cut by the head limit is still text
            try:
                head.decode("gb18030")
            except UnicodeDecodeError:
                return False
    return True


def _detect_text(head):
    """Text content (no binary bytes): RTF, scripts, or plain text."""
    if not _is_text(head):
        return None
    if head.startswith(b"{\\rtf"):
        return Detection(label=_("RTF文档"))
    if SCRIPT_HINTS.search(head) or b"<script" in head.lower():
        return Detection(label=_("脚本文件"))
    return Detection(label=_("纯文本文件"))


def _is_pe(head):
    if len(head) < 0x40:
        return False
    (offset,) = struct.unpack("<I", head[0x3C:0x40])
    return head[offset : offset + 4] == b"PE\x00\x00"


# Binary signatures of common kinds that are never accepted, so the message can name them.
REFUSED_SIGNATURES = (
    (b"\x7fELF", gettext_noop("可执行程序")),
    (b"\xfe\xed\xfa\xce", gettext_noop("可执行程序")),
    (b"\xfe\xed\xfa\xcf", gettext_noop("可执行程序")),
    (b"\xcf\xfa\xed\xfe", gettext_noop("可执行程序")),
    (b"\xca\xfe\xba\xbe", gettext_noop("可执行程序")),
    (b"GIF87a", gettext_noop("GIF图片")),
    (b"GIF89a", gettext_noop("GIF图片")),
    (b"II*\x00", gettext_noop("TIFF图片")),
    (b"MM\x00*", gettext_noop("TIFF图片")),
    (b"Rar!\x1a\x07", gettext_noop("RAR压缩包")),
    (b"7z\xbc\xaf\x27\x1c", gettext_noop("7z压缩包")),
    (b"\x1f\x8b", gettext_noop("GZIP压缩包")),
    (b"\xfd7zXZ\x00", gettext_noop("XZ压缩包")),
    (b"ITSF", gettext_noop("CHM帮助文件")),
    (b"L\x00\x00\x00\x01\x14\x02\x00", gettext_noop("Windows快捷方式")),
    (b"\x00asm", gettext_noop("WebAssembly程序")),
)


def detect_file_type(file):
    """Detect what `file` (a seekable binary file, e.g. an UploadedFile) contains; the position is reset to 0."""
    head, tail = _read_head_and_tail(file)
    if head.startswith(b"%PDF-"):
        return _detect_pdf(tail)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return _detect_png(head)
    if head.startswith(b"\xff\xd8\xff"):
        return _detect_jpeg(head)
    if head.startswith(b"PK\x03\x04"):
        return _detect_zip(file)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _detect_ole2(file)
    if head.startswith(b"MZ"):
        return Detection(label=_("可执行程序") if _is_pe(head) else _("DOS可执行程序"))
    for signature, label in REFUSED_SIGNATURES:
        if head.startswith(signature):
            return Detection(label=_(label))
    if head[:2] == b"BM" and head[6:10] == b"\x00\x00\x00\x00":
        return Detection(label=_("BMP图片"))
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Detection(label=_("WebP图片"))
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        return Detection(label=_("HEIC图片") if brand in (b"heic", b"heix", b"mif1", b"msf1") else _("音视频文件"))
    return _detect_markup(head) or _detect_text(head) or Detection()


def extension_of(name):
    suffix = PurePosixPath(name.replace("\\", "/")).suffix
    return suffix[1:].lower() if suffix else ""


def check_file_type(*, file, name, accepted_formats):
    """The acceptable Kind of `file`, or ValidationError with the Chinese reason (content, format, extension)."""
    accepted = normalise_formats(accepted_formats)
    formats = format_list(accepted)
    detection = detect_file_type(file)
    if detection.kind is None:
        if detection.label:
            message = _("文件内容不是%(formats)s，系统识别为%(label)s，已拒绝") % {
                "formats": formats,
                "label": detection.label,
            }
        else:
            message = _("文件内容不是%(formats)s，系统无法识别其类型，已拒绝") % {"formats": formats}
        raise ValidationError(message, code="content_type")
    kind = detection.kind
    if detection.problem:
        raise ValidationError(_("%(problem)s，已拒绝") % {"problem": detection.problem}, code="damaged")
    if kind.code not in accepted:
        raise ValidationError(
            _("本项材料只接受%(formats)s格式，上传的文件是%(label)s，已拒绝")
            % {"formats": formats, "label": kind.label},
            code="format_not_accepted",
        )
    extension = extension_of(name)
    if extension not in kind.extensions:
        raise ValidationError(
            _("文件扩展名“%(extension)s”与内容不符：文件内容是%(label)s，请将文件名改为 .%(expected)s 结尾后重新上传")
            % {
                "extension": f".{extension}" if extension else _("（无）"),
                "label": kind.label,
                "expected": kind.extension,
            },
            code="extension_mismatch",
        )
    risk = find_risk(file=file, kind_code=kind.code)
    if risk:
        raise ValidationError(risk, code="risky_content")
    return kind
