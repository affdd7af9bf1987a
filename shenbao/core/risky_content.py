"""Files of an accepted kind that are still refused: PDFs that run code, web-page polyglots, oversized images.

`filetypes.check_file_type` calls `find_risk` once the kind is known; a non-empty answer is the Chinese reason.
- PDF: JavaScript (`/JavaScript`, `/JS`), launching programs (`/Launch`), actions run on opening or on events
  (`/OpenAction` or `/AA` pointing at such an action), embedded Flash (`/RichMedia`) and XFA forms (scripts)
  are refused. Names are read with their `#xx` escapes decoded (`/J#61vaScript` is `/JavaScript`), and
  Flate-compressed streams (object streams hide dictionaries there) are inflated up to a budget, so the keys
  cannot be hidden by encoding. Markup inside the raw bytes (`<script`, `<html`, `<svg`) makes a file that a
  browser would render as a web page: a polyglot, refused.
- PNG and JPEG: width × height above `SHENBAO_MAX_IMAGE_PIXELS` (40 megapixels by default, more than any
  scanner or phone camera gives) is refused before any viewer decodes it (a "pixel flood").
"""

import re
import struct
import zlib

from django.conf import settings
from django.utils.translation import gettext as _

CHUNK = 1024 * 1024
# Inflate at most this much in total: enough for any real document's object streams, bounded for a zip bomb.
INFLATE_BUDGET = 64 * 1024 * 1024
DEFAULT_MAX_IMAGE_PIXELS = 40_000_000

ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
STREAM = re.compile(rb"stream\r?\n")
STREAM_BODY = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)
MARKUP = re.compile(rb"<(script|html|svg|iframe)\b", re.IGNORECASE)
# An action of a risky type (`/S /JavaScript`), or a document-level entry holding one (`/JavaScript 12 0 R`,
# `/XFA [ … ]`). Matching the dictionary syntax, not a bare word, keeps "HTML/JS" in a document's text harmless.
RISKS = (
    (
        re.compile(rb"/S\s*/(JavaScript|Launch|RichMedia)\b"),
        {b"JavaScript": "JavaScript脚本", b"Launch": "启动外部程序的动作", b"RichMedia": "嵌入的多媒体程序"},
    ),
    (
        re.compile(rb"/(JavaScript|JS|XFA|RichMedia)\s*[<\[(0-9]"),
        {
            b"JavaScript": "JavaScript脚本",
            b"JS": "JavaScript脚本",
            b"XFA": "XFA动态表单（可含脚本）",
            b"RichMedia": "嵌入的多媒体程序",
        },
    ),
)


def _unescaped(data):
    """PDF names may spell any byte as #xx (/J#61vaScript); read them as the reader will."""
    return ESCAPE.sub(lambda escape: bytes([int(escape.group(1), 16)]), data)


def _object_streams(data, budget):
    """The inflated content of each compressed object stream (where PDF 1.5+ keeps dictionaries)."""
    for match in STREAM.finditer(data):
        if budget <= 0:
            return
        if b"/ObjStm" not in _unescaped(data[max(0, match.start() - 512) : match.start()]):
            continue  # page content, images and fonts hold no actions
        try:
            inflated = zlib.decompressobj().decompress(data[match.end() : match.end() + budget], budget)
        except zlib.error:
            continue
        budget -= len(inflated)
        yield inflated


def _pdf_risk(file):
    file.seek(0)
    data = file.read()
    file.seek(0)
    # Stream bodies are binary (compressed pages, images): any byte sequence occurs there by chance.
    outside = STREAM_BODY.sub(b" ", data)
    if MARKUP.search(outside):
        return _("文件中嵌有网页代码（可被浏览器当作网页打开），已拒绝")
    for part in (outside, *_object_streams(data, INFLATE_BUDGET)):
        readable = _unescaped(part)
        for pattern, labels in RISKS:
            match = pattern.search(readable)
            if match:
                what = labels[match.group(1)]
                return _("PDF文件含有%(what)s，存在安全风险，已拒绝。请另存为普通PDF（如“打印为PDF”）后重新上传") % {
                    "what": what
                }
    return ""


def _png_size(head):
    return struct.unpack(">II", head[16:24]) if len(head) >= 24 else None


def _jpeg_size(file):
    """(width, height) from the first SOFn segment, walking the segments from the start."""
    file.seek(2)
    try:
        while True:
            marker = file.read(2)
            if len(marker) < 2 or marker[0] != 0xFF:
                return None
            code = marker[1]
            if code in (0xD8, 0x01) or 0xD0 <= code <= 0xD7:
                continue
            length_bytes = file.read(2)
            if len(length_bytes) < 2:
                return None
            (length,) = struct.unpack(">H", length_bytes)
            if 0xC0 <= code <= 0xCF and code not in (0xC4, 0xC8, 0xCC):
                frame = file.read(5)
                if len(frame) < 5:
                    return None
                height, width = struct.unpack(">HH", frame[1:5])
                return width, height
            file.seek(length - 2, 1)
    finally:
        file.seek(0)


def _image_risk(file, code):
    file.seek(0)
    head = file.read(32)
    file.seek(0)
    size = _png_size(head) if code == "png" else _jpeg_size(file)
    if size is None:
        return ""
    width, height = size
    limit = getattr(settings, "SHENBAO_MAX_IMAGE_PIXELS", DEFAULT_MAX_IMAGE_PIXELS)
    if width * height > limit:
        return _("图片尺寸为%(width)s×%(height)s像素，超过%(limit)s万像素的上限，已拒绝。请缩小后重新上传") % {
            "width": width,
            "height": height,
            "limit": limit // 10000,
        }
    return ""


def find_risk(*, file, kind_code):
    """The Chinese reason a file of kind `kind_code` is refused for its content, or "" when it is fine."""
    if kind_code == "pdf":
        return _pdf_risk(file)
    if kind_code in ("png", "jpg"):
        return _image_risk(file, kind_code)
    return ""
