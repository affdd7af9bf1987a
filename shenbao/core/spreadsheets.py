"""The one way a spreadsheet leaves the platform: formula-looking text is stored as text (CSV and XLSX alike).

Unit names, recommendations and other cells come from users; a cell beginning with `=`, `+`, `-`, `@`, a tab or a
carriage return is a formula to Excel and WPS (`=HYPERLINK(…)` becomes a live link, DDE payloads run commands).
- XLSX: `workbook_bytes` walks every cell before saving and stores such text as a string cell with Excel's
  "quote prefix", so it shows exactly as typed and is never evaluated, even after the user edits the cell.
- CSV: `csv_cell` prefixes such text with an apostrophe (CSV has no cell types).
Numbers, dates and the platform's own text are untouched. Every export calls one of these two; a test fails on a
`workbook.save(` anywhere else.
"""

import io

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value):
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def _neutralise(cell):
    cell.data_type = "s"
    cell.quotePrefix = True


def workbook_bytes(workbook):
    """The .xlsx bytes of an openpyxl `workbook`, with every formula-looking text stored as plain text."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if is_formula_like(cell.value):
                    _neutralise(cell)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_cell(value):
    """A CSV cell's text: None as empty, formula-looking text behind an apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if is_formula_like(text) else text
