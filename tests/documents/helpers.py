"""Reading generated documents back: text of a PDF (pypdf) and of a DOCX (python-docx), and the PDF's fonts."""

import io

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
