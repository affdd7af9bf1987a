"""Files of an accepted kind refused for their content (issue 11, point 8): PDFs that run code, web-page polyglots,
images whose header claims a pixel flood. Ordinary files (including a document that merely mentions "HTML/JS")
pass. Through the materials page too: refused in Chinese and audited like every other refusal."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError

from shenbao.applications.models import ApplicationMaterial
from shenbao.audit.models import AuditEntry
from shenbao.core.filetypes import check_file_type

from . import material_files as files
from .test_materials_views import page_url

ALL = ["pdf", "png", "jpg"]


def pdf(*objects, tail=b""):
    """A small hand-written PDF with the given object bodies (numbered from 1), an xref-less trailer and %%EOF."""
    body = b"%PDF-1.7\n"
    for number, content in enumerate(objects, start=1):
        body += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    return body + tail + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [] /Count 0 >>"


def object_stream(content):
    packed = zlib.compress(content)
    return (
        b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n" % len(packed)
        + packed
        + b"\nendstream"
    )


def content_stream(text):
    return b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream"


RISKY_PDFS = {
    "open_action_javascript": pdf(
        b"<< /Type /Catalog /OpenAction 3 0 R >>", PAGES, b"<< /S /JavaScript /JS (app.alert(1)) >>"
    ),
    "escaped_name": pdf(b"<< /Type /Catalog /OpenAction << /S /J#61va#53cript /JS (x) >> >>", PAGES),
    "launch": pdf(b"<< /Type /Catalog /OpenAction << /S /Launch /F (calc.exe) >> >>", PAGES),
    "document_javascript": pdf(b"<< /Type /Catalog /Names << /JavaScript 3 0 R >> >>", PAGES, b"<< /Names [] >>"),
    "hidden_in_object_stream": pdf(CATALOG, PAGES, object_stream(b"4 0 << /S /JavaScript /JS (x) >>")),
    "polyglot": pdf(CATALOG, PAGES, tail=b"<html><script>alert(document.cookie)</script></html>\n"),
}


@pytest.mark.parametrize("name", list(RISKY_PDFS))
def test_a_pdf_that_runs_code_is_refused(name):
    with pytest.raises(ValidationError) as refusal:
        check_file_type(file=io.BytesIO(RISKY_PDFS[name]), name="材料.pdf", accepted_formats=ALL)
    assert refusal.value.code == "risky_content"
    assert "已拒绝" in refusal.value.messages[0]


def test_ordinary_pdfs_pass_even_when_their_text_mentions_javascript():
    assert check_file_type(file=io.BytesIO(files.pdf_bytes()), name="a.pdf", accepted_formats=ALL).code == "pdf"
    text = b"BT /F1 12 Tf (Web skills: HTML/JS, /JavaScript 1 tutorial) Tj ET"
    mentions = pdf(CATALOG, PAGES, content_stream(zlib.compress(text)), content_stream(text))
    assert check_file_type(file=io.BytesIO(mentions), name="a.pdf", accepted_formats=ALL).code == "pdf"
    with_link = pdf(b"<< /Type /Catalog /OpenAction [3 0 R /Fit] >>", PAGES)  # opening at a page is fine
    assert check_file_type(file=io.BytesIO(with_link), name="a.pdf", accepted_formats=ALL).code == "pdf"


def png_claiming(width, height):
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk)) + b"\0" * 64


def jpeg_claiming(width, height):
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + sof + b"\xff\xd9"


@pytest.mark.parametrize(
    ("content", "name"), [(png_claiming(60000, 60000), "a.png"), (jpeg_claiming(60000, 60000), "a.jpg")]
)
def test_an_image_above_the_pixel_limit_is_refused(content, name):
    with pytest.raises(ValidationError) as refusal:
        check_file_type(file=io.BytesIO(content), name=name, accepted_formats=ALL)
    assert "60000×60000像素，超过4000万像素的上限" in refusal.value.messages[0]


def test_images_up_to_the_limit_pass(settings):
    settings.SHENBAO_MAX_IMAGE_PIXELS = 8000 * 5000
    assert check_file_type(file=io.BytesIO(png_claiming(8000, 5000)), name="a.png", accepted_formats=ALL).code == "png"
    assert check_file_type(file=io.BytesIO(jpeg_claiming(8000, 5000)), name="a.jpg", accepted_formats=ALL).code == "jpg"
    assert (
        check_file_type(file=io.BytesIO(files.jpeg_bytes((40, 30))), name="a.jpg", accepted_formats=ALL).code == "jpg"
    )
    with pytest.raises(ValidationError):
        check_file_type(file=io.BytesIO(png_claiming(8000, 5001)), name="a.png", accepted_formats=ALL)


def test_the_materials_page_refuses_a_javascript_pdf_and_audits_it(world, client):
    client.force_login(world.applicant_a)
    upload = files.upload("营业执照.pdf", RISKY_PDFS["open_action_javascript"])
    response = client.post(page_url(world.application_a), {"requirement": "business-licence", "file": upload})
    assert response.status_code == 200
    assert "PDF文件含有JavaScript脚本，存在安全风险，已拒绝" in response.content.decode()
    assert not ApplicationMaterial.objects.exists()
    refusal = AuditEntry.objects.filter(result=AuditEntry.Result.FAILURE).latest("sequence")
    assert "JavaScript" in str(refusal.additional_data)
