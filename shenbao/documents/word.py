"""Editable Word (DOCX) rendering of a document's content with python-docx, laid out like the notice's 附件.

Word takes Chinese glyphs from the East-Asian font slot (`w:eastAsia`), which python-docx does not set, so
every style and run sets it explicitly: 宋体 for text, 黑体 for headings and labels.
"""

import io

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from .layout import TEXT_WIDTH_MM

SONG, HEI = "宋体", "黑体"
TEXT_WIDTH = Mm(TEXT_WIDTH_MM)
EMU_PER_TWIP = 635
CELL_MARGIN_TWIPS = "57"  # 1 mm each side, as the PDF's table cells (layout.CELL_PADDING_MM)


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


def _footer(paragraph, content):
    """「第 x 页 共 y 页」 in the middle and the verification code at the right, as the PDF's page footer."""
    tabs = paragraph.paragraph_format.tab_stops
    tabs.add_tab_stop(TEXT_WIDTH // 2, WD_TAB_ALIGNMENT.CENTER)
    tabs.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    _run(paragraph, "\t第 ", size=9)
    _field(paragraph, "PAGE")
    _run(paragraph, " 页 共 ", size=9)
    _field(paragraph, "NUMPAGES")
    _run(paragraph, " 页\t", size=9)
    _run(paragraph, f"核验码：{content.verification_code}", size=8)


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
        _footer(footer.paragraphs[0], content)
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
        _cell(row.cells[0], f"{label}：", bold=True, size=13)
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


def _row_properties(row, *, header=False):
    """Rows are never split across pages; the header row is repeated on every page the table runs onto."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        properties.append(OxmlElement("w:tblHeader"))


def _fixed_grid(table, widths):
    """Column widths as given (Word and WPS keep them: fixed layout, narrow cell margins like the PDF's)."""
    table.autofit = False
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), CELL_MARGIN_TWIPS)
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    # Word refuses a table whose properties are out of the schema's order: the margins go before w:tblLook.
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")
    # The table's own width as its columns' (WPS lays a fixed table of "auto" width out by its content).
    table_width = table._tbl.tblPr.find(qn("w:tblW"))
    table_width.set(qn("w:type"), "dxa")
    table_width.set(qn("w:w"), str(int(sum(widths) / EMU_PER_TWIP)))
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        start = 0
        for tc in row._tr.tc_lst:  # a merged cell is as wide as the columns it spans
            tc.width = sum(widths[start : start + tc.grid_span])
            start += tc.grid_span


def _instructions(document, content):
    """填表说明 on a page of its own after the cover, as on the paper form."""
    if not content.instructions:
        return
    _paragraph(document, "填\u3000表\u3000说\u3000明", font=HEI, size=16, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for item in content.instructions:
        paragraph = _paragraph(document, item, size=12)
        paragraph.paragraph_format.first_line_indent = Pt(24)
    _page_break(document)


def _field_group(document, group):
    """Label, value, label, value, as the PDF (content.FieldGroup.lines); a field alone spans the three cells."""
    table = document.add_table(rows=0, cols=4)
    table.style = "Table Grid"
    for line in group.lines:
        row = table.add_row()
        _row_properties(row)
        cells = row.cells
        if len(line) == 1:
            cells = [cells[0], cells[1].merge(cells[3])]
        for index, field_row in enumerate(line):
            _cell(cells[2 * index], field_row.label, bold=True)
            _cell(cells[2 * index + 1], field_row.value)
    label, value = int(TEXT_WIDTH * 0.22), int(TEXT_WIDTH * 0.28)  # as document.css .doc-form-grid
    _fixed_grid(table, (label, value, label, value))
    _paragraph(document)


def _orient(document, *, landscape):
    """A new section (from a new page) in portrait or landscape, its page furniture continued from the last."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.different_first_page_header_footer = False
    width, height = sorted((section.page_width, section.page_height), reverse=landscape)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = width, height


def _table_block(document, block):
    layout = block.layout
    if layout.landscape:
        _orient(document, landscape=True)
    label = _paragraph(document, block.label, font=HEI, size=10.5, bold=True)
    label.paragraph_format.keep_with_next = True
    headers = ("序号", *block.headers)
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    size = layout.font_size
    _row_properties(table.rows[0], header=True)
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        _cell(cell, header, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=size)
    for number, values in enumerate(block.rows, 1):
        row = table.add_row()
        _row_properties(row)
        for cell, text in zip(row.cells, (str(number), *values), strict=True):
            _cell(cell, text, size=size)
    if not block.rows:
        cells = table.add_row().cells
        _cell(cells[0].merge(cells[-1]), "（无）", size=size)
    if block.footer:
        row = table.add_row()
        _row_properties(row)
        for cell, text in zip(row.cells, ("合计", *block.footer), strict=True):
            _cell(cell, text, bold=True, size=size)
    text_width = Mm(layout.text_width_mm)
    _fixed_grid(table, [int(text_width * width / 100) for width in layout.widths])
    _paragraph(document)
    if layout.landscape:
        _orient(document, landscape=False)


def _box_lines(cell, box):
    """The inside of a seal box, as in the PDF: statement or a blank 意见 space, then signer, seal and date."""
    left = [box.statement, ""] if box.statement else []
    if box.opinion:
        left += ["意见：", "", ""]
    right = [*box.sign_lines, "年\u3000\u3000月\u3000\u3000日"]
    cell.text = ""
    for index, line in enumerate(left + right):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        if index >= len(left):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif line == box.statement:
            paragraph.paragraph_format.first_line_indent = Pt(21)
        _run(paragraph, line)


def _sign_off(document, sign_off):
    if sign_off.heading:
        heading = document.add_heading(level=1)
        heading.paragraph_format.keep_with_next = True
        _run(heading, sign_off.heading, font=HEI, size=14, bold=True)
    if not sign_off.framed:
        _paragraph(document)
        for box in sign_off.boxes:
            for line in (*box.sign_lines, "年\u3000\u3000月\u3000\u3000日"):
                _paragraph(document, line, align=WD_ALIGN_PARAGRAPH.RIGHT)
        return
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for box in sign_off.boxes:
        row = table.add_row()
        _row_properties(row)
        if box.title:
            _cell(row.cells[0], box.title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
            _box_lines(row.cells[1], box)
        else:
            _box_lines(row.cells[0].merge(row.cells[1]), box)
    _fixed_grid(table, (Cm(4.5), TEXT_WIDTH - Cm(4.5)))
    _paragraph(document)


def _sign_offs(document, content):
    for sign_off in content.sign_offs:
        _sign_off(document, sign_off)
    generated = content.generated_at.strftime("%Y-%m-%d %H:%M")
    _paragraph(document, f"本文书由申报评审平台于 {generated}（北京时间）依据{content.basis}生成。", size=8)


def render_docx(content):
    """DOCX bytes for a `DocumentContent`."""
    document = Document()
    _set_up(document, content)
    _cover(document, content)
    _instructions(document, content)
    for section in content.sections:
        heading = document.add_heading(level=1)
        _run(heading, section.heading, font=HEI, size=14, bold=True)
        for block in section.blocks:
            if block.is_table:
                _table_block(document, block)
            else:
                _field_group(document, block)
    _sign_offs(document, content)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
