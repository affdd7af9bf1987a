"""Identifying materials by content (filetypes.py): what is accepted, what is refused and what the message says."""

import io

import pytest
from django.core.exceptions import ValidationError

from shenbao.core.filetypes import accept_attribute, check_file_type, detect_file_type, format_list

from . import material_files as files

ALL = ["pdf", "jpg", "png", "docx"]


def check(content, name, formats=ALL):
    return check_file_type(file=io.BytesIO(content), name=name, accepted_formats=formats)


def refusal(content, name, formats=ALL):
    with pytest.raises(ValidationError) as caught:
        check(content, name, formats)
    return caught.value


@pytest.mark.parametrize(
    ("content", "name", "code", "content_type"),
    [
        (files.pdf_bytes(), "营业执照.pdf", "pdf", "application/pdf"),
        (files.png_bytes(), "scan.png", "png", "image/png"),
        (files.jpeg_bytes(), "证书.jpg", "jpg", "image/jpeg"),
        (files.jpeg_bytes(), "证书.JPEG", "jpg", "image/jpeg"),
        (
            files.docx_bytes(),
            "申请报告.docx",
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
    ids=["pdf", "png", "jpg", "jpeg-upper-case", "docx"],
)
def test_real_files_are_accepted(content, name, code, content_type):
    kind = check(content, name)
    assert (kind.code, kind.content_type) == (code, content_type)


def test_a_pdf_made_by_weasyprint_is_accepted():
    from weasyprint import HTML

    content = HTML(string="<p>晋城市技师工作站</p>").write_pdf()
    assert check(content, "report.pdf").code == "pdf"


def test_windows_executable_renamed_pdf_is_refused_and_named():
    error = refusal(files.exe_bytes(), "licence.pdf")
    assert error.messages == ["文件内容不是PDF/JPG/PNG/DOCX，系统识别为可执行程序，已拒绝"]
    assert error.code == "content_type"


@pytest.mark.parametrize(
    ("content", "label"),
    [
        (files.elf_bytes(), "可执行程序"),
        (b"MZ" + b"\x00" * 100, "DOS可执行程序"),
        (files.HTML, "HTML网页文件"),
        (files.SHELL_SCRIPT, "脚本文件"),
        (files.BATCH_SCRIPT, "脚本文件"),
        (files.PHP, "脚本文件"),
        (files.SVG, "SVG图像（可含脚本）"),
        (files.PLAIN_TEXT, "纯文本文件"),
        (files.zip_bytes(), "ZIP压缩包"),
        (files.xlsx_bytes(), "Excel表格"),
        (files.gif_bytes(), "GIF图片"),
        (files.docm_bytes(), "启用宏的Word文档（DOCM）"),
        (files.docx_without_document_bytes(), "ZIP压缩包"),
        (files.ole2_bytes("Workbook"), "Excel 97-2003表格"),
    ],
    ids=["elf", "dos", "html", "sh", "bat", "php", "svg", "text", "zip", "xlsx", "gif", "docm", "docx-no-body", "xls"],
)
def test_other_content_renamed_pdf_is_refused_with_what_was_detected(content, label):
    error = refusal(content, "licence.pdf")
    assert error.messages == [f"文件内容不是PDF/JPG/PNG/DOCX，系统识别为{label}，已拒绝"]


def test_unrecognised_binary_is_refused():
    error = refusal(bytes(range(1, 200)) * 3, "licence.pdf")
    assert error.messages == ["文件内容不是PDF/JPG/PNG/DOCX，系统无法识别其类型，已拒绝"]


def test_docm_named_docx_is_refused():
    error = refusal(files.docm_bytes(), "申请报告.docx")
    assert "启用宏" in error.messages[0]


def test_png_named_pdf_is_refused_for_the_extension():
    error = refusal(files.png_bytes(), "营业执照.pdf")
    assert error.code == "extension_mismatch"
    assert error.messages == ["文件扩展名“.pdf”与内容不符：文件内容是PNG图片，请将文件名改为 .png 结尾后重新上传"]


def test_a_name_without_extension_is_refused():
    error = refusal(files.pdf_bytes(), "营业执照")
    assert error.code == "extension_mismatch"
    assert "（无）" in error.messages[0]


def test_a_format_the_requirement_does_not_list_is_refused():
    error = refusal(files.docx_bytes(), "证书.docx", formats=["pdf", "jpg", "png"])
    assert error.code == "format_not_accepted"
    assert error.messages == ["本项材料只接受PDF/JPG/PNG格式，上传的文件是DOCX文档，已拒绝"]


def test_legacy_doc_only_where_the_requirement_lists_doc():
    content = files.ole2_bytes("WordDocument", extra=("1Table",))
    assert check(content, "报告.doc", formats=["pdf", "docx", "doc"]).code == "doc"
    assert refusal(content, "报告.doc", formats=["pdf", "docx"]).code == "format_not_accepted"


def test_legacy_doc_with_macros_is_refused():
    content = files.ole2_bytes("WordDocument", extra=("Macros", "VBA"))
    error = refusal(content, "报告.doc", formats=["pdf", "doc"])
    assert error.messages == ["文件内容不是PDF/DOC，系统识别为含宏的Word 97-2003文档，已拒绝"]


def test_truncated_pdf_is_refused_as_damaged():
    content = files.pdf_bytes()
    error = refusal(content[: len(content) // 2], "licence.pdf")
    assert error.code == "damaged"
    assert "PDF" in error.messages[0]


def test_pdf_header_must_be_at_the_start():
    # A polyglot trick: HTML first, a PDF after it. Browsers would read the page, so it is not a PDF.
    error = refusal(files.HTML + files.pdf_bytes(), "licence.pdf")
    assert "HTML" in error.messages[0]


def test_png_with_a_broken_header_is_refused():
    content = bytearray(files.png_bytes())
    content[20] ^= 0xFF  # inside the IHDR data: the chunk's CRC no longer matches
    assert refusal(bytes(content), "scan.png").code == "damaged"


def test_jpeg_without_a_segment_marker_is_refused():
    assert refusal(b"\xff\xd8\xff\x00" + b"\x00" * 50, "scan.jpg").code == "damaged"


def test_detection_leaves_the_file_at_its_start():
    handle = io.BytesIO(files.docx_bytes())
    handle.seek(100)
    assert detect_file_type(handle).kind.code == "docx"
    assert handle.tell() == 0


def test_format_helpers():
    assert format_list(["pdf", "jpeg", "JPG", "png"]) == "PDF/JPG/PNG"
    assert accept_attribute(["pdf", "jpg"]) == ".pdf,.jpg,.jpeg"
