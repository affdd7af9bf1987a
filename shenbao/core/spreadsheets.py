"""The one way a spreadsheet leaves the platform: formula-looking text is stored as text (CSV and XLSX alike).

Unit names, recommendations and other cells come from users; a cell beginning with `=`, `+`, `-`, `@`, a tab or a
carriage return is a formula to Excel and WPS (`=HYPERLINK(…)` becomes a live link, DDE payloads run commands).
- XLSX: `workbook_bytes` walks every cell before saving and stores such text as a string cell with Excel's
  "quote prefix", so it shows exactly as typed and is never evaluated, even after the user edits the cell.
- CSV: `csv_cell` prefixes such text with an apostrophe (CSV has no cell types).
A streamed (write-only) workbook cannot be walked after the fact: its rows are written with `write_only_row`, which
neutralises the same cells as they are written. Numbers, dates and the platform's own text are untouched. Every
export calls one of these; a test fails on a
`workbook.save(` anywhere else.
"""

import io

from openpyxl.cell import WriteOnlyCell

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value):
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def _neutralise(cell):
    cell.data_type = "s"
    cell.quotePrefix = True


def workbook_bytes(workbook):
    """The .xlsx bytes of an openpyxl `workbook`, with every formula-looking text stored as plain text. A
    write-only workbook cannot be walked: its rows were neutralised as they were written (`write_only_row`)."""
    if not workbook.write_only:
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if is_formula_like(cell.value):
                        _neutralise(cell)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_only_cell(sheet, value, **style):
    """A cell of a write-only (streamed) workbook, which `workbook_bytes` cannot walk after the fact: formula-looking
    text is stored as plain text here, as the row is written. `style`: font, alignment …"""
    cell = WriteOnlyCell(sheet, value=value)
    if is_formula_like(value):
        _neutralise(cell)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def write_only_row(sheet, values, **style):
    """A row of a write-only workbook: plain values as they are (cheap), formula-looking text and styled cells as
    `write_only_cell`s."""
    return [write_only_cell(sheet, value, **style) if style or is_formula_like(value) else value for value in values]


def csv_cell(value):
    """A CSV cell's text: None as empty, formula-looking text behind an apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if is_formula_like(text) else text
