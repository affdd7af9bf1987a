"""Editable Word (DOCX) rendering of a document's content with python-docx, laid out like the notice's 附件.

Word takes Chinese glyphs from the East-Asian font slot (`w:eastAsia`), which python-docx does not set, so
every style and run sets it explicitly: 宋体 for text, 黑体 for headings and labels.
"""

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

SONG, HEI = "宋体", "黑体"


def _east_asian(element, name):
    element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _run(paragraph, text, *, font=SONG, size=10.5, bold=False):
    run = paragraph.add_run(text)
    run.font.name = font
    run.font.size = Pt(size)
    run.bold = bold
    _east_asian(run._element, font)
    return run


def _paragraph(container, text="", *, font=SONG, size=10.5, bold=False, align=None):
    paragraph = container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if text:
        _run(paragraph, text, font=font, size=size, bold=bold)
    return paragraph


def _cell(cell, text, *, bold=False, align=None, size=10.5):
    cell.text = ""
    lines = str(text).split("\n")
    paragraph = cell.paragraphs[0]
    for index, line in enumerate(lines):
        if index:
            paragraph = cell.add_paragraph()
        if align is not None:
            paragraph.alignment = align
        _run(paragraph, line, font=HEI if bold else SONG, size=size, bold=bold)


def _field(paragraph, instruction):
    """A Word field (PAGE, NUMPAGES) so page numbers are counted by Word itself."""
    run = _run(paragraph, "")
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == instruction:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {instruction} "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._element.append(element)


def _page_numbers(paragraph):
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, "第 ", size=9)
    _field(paragraph, "PAGE")
    _run(paragraph, " 页 共 ", size=9)
    _field(paragraph, "NUMPAGES")
    _run(paragraph, " 页", size=9)


def _set_up(document, content):
    for style_name, font_name, size in (("Normal", SONG, 10.5), ("Heading 1", HEI, 14), ("Title", HEI, 22)):
        style = document.styles[style_name]
        style.font.name = font_name
        style.font.size = Pt(size)
        _east_asian(style.element, font_name)
        if style_name != "Normal":
            style.font.bold = True
            style.font.color.rgb = RGBColor(0, 0, 0)
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
    section.left_margin, section.right_margin = Cm(2.5), Cm(2.2)
    # The cover carries the number itself; the running header starts on page 2.
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(header, f"{content.title}\u3000申报编号：{content.number}", size=8.5)
    for footer in (section.footer, section.first_page_footer):
        _page_numbers(footer.paragraphs[0])
    properties = document.core_properties
    properties.title = f"{content.title} {content.number}"
    properties.author = content.unit_name
    properties.last_modified_by = "申报评审平台"
    properties.created = properties.modified = content.generated_at.replace(tzinfo=None)
    properties.identifier = content.verification_code


def _page_break(document):
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _cover(document, content, copy_label=""):
    if copy_label:
        _paragraph(document, copy_label, font=HEI, size=12, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(document, f"申报编号：{content.number}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    for _ in range(3):
        _paragraph(document)
    _paragraph(document, content.title, font=HEI, size=22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, content.subtitle, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    for _ in range(3):
        _paragraph(document)
    table = document.add_table(rows=len(content.cover_rows), cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row, (label, value) in zip(table.rows, content.cover_rows, strict=True):
        row.cells[0].width, row.cells[1].width = Cm(4.5), Cm(9)
        _cell(row.cells[0], f"{label}:", bold=True, size=13)
        _cell(row.cells[1], value, size=13)
    _paragraph(document)
    _paragraph(
        document,
        f"核验码：{content.verification_code}。可访问 {content.verify_url} 核验本文书的真实性。",
        size=9,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    for _ in range(2):
        _paragraph(document)
    _paragraph(document, content.issuer, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, content.issued_month, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    _page_break(document)


def _field_group(document, group):
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for field_row in group.rows:
        cells = table.add_row().cells
        cells[0].width, cells[1].width = Cm(5), Cm(11.3)
        _cell(cells[0], field_row.label, bold=True)
        _cell(cells[1], field_row.value)
    _paragraph(document)


def _table_block(document, block):
    _paragraph(document, block.label, font=HEI, size=10.5, bold=True)
    headers = ("序号", *block.headers)
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        _cell(cell, header, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=9)
    if not block.rows:
        cells = table.add_row().cells
        merged = cells[0].merge(cells[-1])
        _cell(merged, "（无）", size=9)
    for number, row in enumerate(block.rows, 1):
        cells = table.add_row().cells
        for cell, text in zip(cells, (str(number), *row), strict=True):
            _cell(cell, text, size=9)
    if block.footer:
        for cell, text in zip(table.add_row().cells, ("合计", *block.footer), strict=True):
            _cell(cell, text, bold=True, size=9)
    _paragraph(document)


def _seal_boxes(document, content):
    _page_break(document)
    for box in content.seal_boxes:
        table = document.add_table(rows=1, cols=2)
        table.style = "Table Grid"
        label, body = table.rows[0].cells
        label.width, body.width = Cm(4.5), Cm(11.8)
        _cell(label, box.title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        # As on the paper form: the statement flows left-aligned, signer, signature, seal and date sit at the right.
        left = [box.statement, "", ""] if box.statement else ["", "", "", ""]
        right = [box.signer] if box.signer else []
        if box.signature_label:
            right.append(f"{box.signature_label}:\u3000\u3000\u3000\u3000\u3000\u3000")
        right += ["（盖章）", "年\u3000\u3000月\u3000\u3000日"]
        body.text = ""
        for index, line in enumerate(left + right):
            paragraph = body.paragraphs[0] if index == 0 else body.add_paragraph()
            if index >= len(left):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _run(paragraph, line)
        _paragraph(document)
    generated = content.generated_at.strftime("%Y-%m-%d %H:%M")
    _paragraph(document, f"本文书由申报评审平台于 {generated}（北京时间）依据{content.basis}生成。", size=8)


def render_docx(content):
    """DOCX bytes for a `DocumentContent`."""
    document = Document()
    _set_up(document, content)
    _cover(document, content)
    for section in content.sections:
        heading = document.add_heading(level=1)
        _run(heading, section.heading, font=HEI, size=14, bold=True)
        for block in section.blocks:
            if block.is_table:
                _table_block(document, block)
            else:
                _field_group(document, block)
    _seal_boxes(document, content)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
