"""Column widths and type size of a document's tables, from their content, shared by the PDF, the print view and
the DOCX so the three break lines alike.

A browser's automatic table layout gives a column of Chinese text its minimum width, one character, as soon as
the table is crowded: a 9-column member table printed 「山西省人力资源和社会保障厅」 one character per line. Here
each column gets a floor that keeps its content readable (short values on one line, a name on at most two lines,
long text at least `TEXT_FLOOR` wide, a Latin word such as an ID or certificate number unbroken), the rest of the
width is shared out by how much each column would still like, and a table whose floors do not fit at the normal
size is set a size smaller (as a paper form's wide tables are), and one that does not fit at the smallest size goes
on a landscape page.

Widths are estimated from the characters, in em of the table's type: CJK and full-width forms are 1 em, Latin
letters and digits about half (measured on Noto Serif CJK SC; 宋体 is narrower, so Word has room to spare).
"""

import math
import unicodedata
from dataclasses import dataclass

# The text width of an A4 page with the documents' margins (pdf.css @page, word.py _set_up): 210 − 25 − 22 mm;
# of a landscape page (a table too wide for portrait, as paper forms turn their widest tables): 297 − 25 − 22 mm.
TEXT_WIDTH_MM = 163.0
LANDSCAPE_TEXT_WIDTH_MM = 250.0
# A cell's horizontal padding plus its share of the borders (document.css .doc-table td, word.py cell margins).
CELL_PADDING_MM = 2.6
PT_MM = 25.4 / 72
# Tried in turn until the columns' floors fit; document.css sets each size by its class (inline styles are refused
# by the print view's content security policy).
FONT_SIZES_PT = {9.0: "", 8.0: "doc-small", 7.5: "doc-smaller"}
SHORT = 4.5  # em: a value this short never wraps (names, levels, 是/否, amounts)
TEXT_FLOOR = 7.0  # em: the narrowest a column of longer text gets (a 14-character name in two lines)
HEADER_LINES = 2  # a header may take two lines before its column is widened for it
MIN_COLUMN = 2.0  # em: 序号
SLACK = 0.3  # em added to every floor, so rounding never costs a line


def _char_width(char):
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1.0
    if char.isspace():
        return 0.26
    if char.isdigit() or char.islower():
        return 0.57
    if char.isupper():
        return 0.72
    return 0.5


def text_width(text):
    """The width of the longest line of `text`, in em."""
    return max((sum(_char_width(char) for char in line) for line in str(text).split("\n")), default=0.0)


def _longest_word(text):
    """The widest run of Latin characters, which cannot wrap (an ID or certificate number), in em."""
    widest = run = 0.0
    for char in str(text):
        if char.isspace() or unicodedata.east_asian_width(char) in ("W", "F"):
            run = 0.0
        else:
            run += _char_width(char)
            widest = max(widest, run)
    return widest


def _cell_floor(text, *, lines=2):
    width = text_width(text)
    if width <= SHORT:
        return width + SLACK
    return max(_longest_word(text), min(math.ceil(width / lines), TEXT_FLOOR)) + SLACK


def _header_floor(text):
    width = text_width(text)
    if width <= 3:
        return width + SLACK
    return max(_longest_word(text), min(math.ceil(width / HEADER_LINES), TEXT_FLOOR)) + SLACK


@dataclass(frozen=True)
class TableLayout:
    widths: tuple  # percent of the table's width per column, summing to 100
    font_size: float  # pt
    landscape: bool = False  # printed on landscape pages of its own

    @property
    def text_width_mm(self):
        return LANDSCAPE_TEXT_WIDTH_MM if self.landscape else TEXT_WIDTH_MM

    @property
    def size_class(self):
        return FONT_SIZES_PT[self.font_size]

    @property
    def col_widths(self):
        """The widths as HTML `<col width>` values ("18.39%"), whatever the language's decimal separator."""
        return tuple(f"{width:.2f}%" for width in self.widths)


def _available(font_size, columns, text_width_mm):
    """The em of the table's type that the columns' content can take in all."""
    return (text_width_mm - columns * CELL_PADDING_MM) / (font_size * PT_MM)


def _share(floors, wishes, available):
    """Widths between floor and wish: each column gets its floor, then a share of the rest in proportion to how much
    more it would like; a table whose wishes all fit is stretched to the full width in proportion to them."""
    floor_total, wish_total = sum(floors), sum(wishes)
    if wish_total <= available:
        return [wish * available / wish_total for wish in wishes]
    if floor_total >= available:
        return [floor * available / floor_total for floor in floors]
    ratio = (available - floor_total) / (wish_total - floor_total)
    return [floor + (wish - floor) * ratio for floor, wish in zip(floors, wishes, strict=True)]


def table_layout(headers, rows):
    """The layout of a table with `headers` and `rows` (strings, as printed, the 序号 column included)."""
    columns = list(zip(headers, *rows, strict=True)) if rows else [(header,) for header in headers]
    floors, wishes = [], []
    for header, *cells in columns:
        floor = max([_header_floor(header), MIN_COLUMN, *(_cell_floor(cell) for cell in cells)])
        wish = max([floor, math.ceil(text_width(header) / HEADER_LINES), *(text_width(cell) for cell in cells)])
        floors.append(floor)
        wishes.append(wish)
    # Portrait at the normal size, then smaller, then landscape; the last resort shrinks the floors to fit.
    choices = [(landscape, size) for landscape in (False, True) for size in FONT_SIZES_PT]
    landscape, font_size = next(
        (
            (landscape, size)
            for landscape, size in choices
            if sum(floors) <= _available(size, len(columns), LANDSCAPE_TEXT_WIDTH_MM if landscape else TEXT_WIDTH_MM)
        ),
        choices[-1],
    )
    available = _available(font_size, len(columns), LANDSCAPE_TEXT_WIDTH_MM if landscape else TEXT_WIDTH_MM)
    padding = CELL_PADDING_MM / (font_size * PT_MM)
    widths = [width + padding for width in _share(floors, wishes, available)]
    total = sum(widths)
    return TableLayout(
        widths=tuple(round(100 * width / total, 2) for width in widths), font_size=font_size, landscape=landscape
    )


# A field of a form group sits beside another (label, value, label, value), as on the paper form, when both its
# label and its value are this short, in em of the form's 10.5 pt type: a value column (28 % of the text width,
# document.css .doc-form-grid) holds about 11 em, a label column two lines of about 8.
PAIRED_LABEL = 9.0
PAIRED_VALUE = 11.0


def pair_fields(rows):
    """The rows of a form group as printed lines: two short fields side by side, a wide or long one alone, in the
    rows' order (a short field before a long one stays alone rather than move)."""
    lines, pending = [], None
    for row in rows:
        short = not row.wide and text_width(row.label) <= PAIRED_LABEL and text_width(row.value) <= PAIRED_VALUE
        if short and pending is not None:
            lines.append((pending, row))
            pending = None
            continue
        if pending is not None:
            lines.append((pending,))
            pending = None
        if short:
            pending = row
        else:
            lines.append((row,))
    if pending is not None:
        lines.append((pending,))
    return tuple(lines)
