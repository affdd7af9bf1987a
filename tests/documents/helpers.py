"""Reading generated documents back: text of a PDF (pypdf) and of a DOCX (python-docx), and the PDF's fonts."""

import io
import subprocess

import docx
from pypdf import PdfReader


def squeeze(text):
    """Text without any whitespace, so a value wrapped across lines of a table cell still matches."""
    return "".join(text.split())


def pdf_text(data):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def pdf_fonts(data):
    """{BaseFont name: embedded?} for every font used on any page (descendant fonts of Type0 fonts included)."""
    fonts = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        resources = page.get("/Resources")
        font_dict = resources.get_object().get("/Font") if resources else None
        for font_ref in (font_dict or {}).values():
            font = font_ref.get_object()
            candidates = [font, *(d.get_object() for d in font.get("/DescendantFonts", []))]
            embedded = False
            for candidate in candidates:
                descriptor = candidate.get("/FontDescriptor")
                if descriptor is not None:
                    descriptor = descriptor.get_object()
                    embedded = embedded or any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[str(font.get("/BaseFont"))] = embedded
    return fonts


def _cell_texts(table):
    for row in table.rows:
        for cell in row.cells:
            yield cell.text
            for inner in cell.tables:
                yield from _cell_texts(inner)


def docx_document(data):
    return docx.Document(io.BytesIO(data))


def docx_text(data):
    document = docx_document(data)
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts.extend(_cell_texts(table))
    for section in document.sections:
        parts.extend(paragraph.text for paragraph in section.header.paragraphs)
    return "\n".join(parts)


def pdftotext_pages(data):
    """The text of each page (poppler's pdftotext in content-stream order, which is the document's order)."""
    result = subprocess.run(["pdftotext", "-raw", "-", "-"], input=data, capture_output=True, check=True)
    return result.stdout.decode().split("\f")[:-1]


def _table_texts(table):
    """A table's cell texts row by row; a merged cell once."""
    for row in table.rows:
        seen = []
        for cell in row.cells:
            if cell._tc not in seen:
                seen.append(cell._tc)
                yield cell.text


def docx_body_text(data):
    """The document body's text in reading order: paragraphs and tables as they follow each other."""
    document = docx_document(data)
    parts = []
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            parts.extend(_table_texts(block))
        else:
            parts.append(block.text)
    return "\n".join(parts)


def docx_furniture_text(data):
    """The text of every header and footer (the first page's too)."""
    parts = []
    for section in docx_document(data).sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            parts.extend(paragraph.text for paragraph in part.paragraphs)
    return "\n".join(parts)
