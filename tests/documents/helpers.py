"""Reading generated documents back: text of a PDF (pypdf, pdftotext) and of a DOCX (python-docx), the PDF's fonts,
and the table cells of a laid-out PDF (WeasyPrint's boxes)."""

import io
import subprocess
from dataclasses import dataclass, field

import docx
from pypdf import PdfReader
from weasyprint.formatting_structure import boxes


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


# --- The PDF's layout, read off WeasyPrint's boxes -----------------------------------------------------------


@dataclass
class Cell:
    page: int  # 0-based
    table: int  # the table's order in the document
    header: bool
    text: str
    lines: int
    right: float  # the right edge of the cell's border box
    row: int  # the row element's identity, to tell rows apart


@dataclass
class Printed:
    content: object
    pdf: bytes
    docx: bytes
    text_right: list  # per page: the right edge of the text area
    landscape: set = field(default_factory=set)  # the pages printed landscape
    cells: list = field(default_factory=list)

    def cells_of(self, table):
        return [cell for cell in self.cells if cell.table == table]

    def table_with(self, text):
        return next(cell.table for cell in self.cells if cell.text == text)


def _text(box):
    return "".join(child.text for child in box.descendants() if isinstance(child, boxes.TextBox))


def measure_layout(document, printed):
    """Fill `printed` with the facts of WeasyPrint's laid-out `document`: per page its text area's right edge and
    orientation, per table cell its page, table, text, number of lines and right edge."""
    tables = {}
    for page_number, page in enumerate(document.pages):
        html_box = page._page_box.children[0]
        printed.text_right.append(html_box.content_box_x() + html_box.width)
        if page.width > page.height:
            printed.landscape.add(page_number)
        for box in page._page_box.descendants():
            if not isinstance(box, boxes.TableBox):
                continue
            table = tables.setdefault(id(box.element), len(tables))
            for group in box.children:
                for row in group.children:
                    for cell in row.children:
                        lines = [line for line in cell.descendants() if isinstance(line, boxes.LineBox)]
                        printed.cells.append(
                            Cell(
                                page=page_number,
                                table=table,
                                header=group.is_header,
                                text=_text(cell),
                                lines=sum(1 for line in lines if _text(line).strip()),
                                right=cell.border_box_x() + cell.border_width(),
                                row=id(row.element),
                            )
                        )
