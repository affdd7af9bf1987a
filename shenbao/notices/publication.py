"""The 公示 for the bureau's own website: an HTML fragment and a DOCX, both from one reading of the notice
(`notice_text`), so they say exactly what the public page says.

The fragment is semantic HTML without scripts, styles, images or links (self-contained: the bureau's website styles
it), rendered by the template engine so every value is escaped. The DOCX looks like an official notice: the title
in 黑体 二号 centred, the text in 仿宋 三号 with a first-line indent, the list as a bordered table, the issuing
bodies and the date at the right.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from .models import PublicNotice
from .selectors import list_notice_entries

HEI, FANGSONG = "黑体", "仿宋"
TITLE_SIZE, TEXT_SIZE, TABLE_SIZE = 22, 16, 12  # 二号, 三号, 小四


@dataclass(frozen=True)
class NoticeText:
    title: str
    paragraphs: list[str]
    header: list[str]
    rows: list[list[str]]
    closing: list[str]
    issuers: list[str]
    issued_on: str


def _chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"  # documents keep Chinese dates, whatever the page's language


def notice_text(*, notice: PublicNotice) -> NoticeText:
    """What the exported 公示 says, in the platform's working language."""
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "start": _chinese_date(notice.start_date),
            "end": _chinese_date(notice.end_date),
            "days": notice.working_days,
        }
        period = _("公示期：%(start)s至%(end)s（%(days)s个工作日），至%(end)s24时（北京时间）止。") % values
        objection = (
            _(
                "公示期间，对公示单位有异议的，可于%(end)s24时前实名提出。个人须提供真实姓名、身份证号码和联系电话；"
                "单位须提供单位名称、联系人和联系电话，并加盖单位公章。匿名或逾期提出的异议不予受理。"
            )
            % values
        )
        contact = [
            _("书面异议送达地址：%(address)s") % {"address": notice.contact_address},
            _("联系人：%(name)s，联系电话：%(phone)s") % {"name": notice.contact_name, "phone": notice.contact_phone},
        ]
        rows = [
            [
                str(number),
                entry.application.unit.name,
                entry.application.project_type.name,
                _("市直") if entry.application.unit.is_city_direct else entry.application.unit.region.name,
            ]
            for number, entry in enumerate(list_notice_entries(notice=notice), start=1)
        ]
        header = [_("序号"), _("单位名称"), _("项目类别"), _("所在县（市、区）")]
    body = [line.strip() for line in notice.body.split("\n\n") if line.strip()]
    return NoticeText(
        title=notice.title,
        paragraphs=[*body, period],
        header=header,
        rows=rows,
        closing=[objection, *contact],
        issuers=list(notice.call.issuing_bodies or []),
        issued_on=_chinese_date(notice.start_date),
    )


def render_notice_fragment(*, notice: PublicNotice) -> str:
    return render_to_string("notices/export_fragment.html", {"text": notice_text(notice=notice)})


def _run(paragraph, text: str, *, font: str, size: int, bold: bool = False) -> None:
    run = paragraph.add_run(text)
    run.font.name = font
    run.font.size = Pt(size)
    run.bold = bold
    # Word takes Chinese glyphs from the East-Asian slot, which python-docx does not set.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)


def _text(document, text: str, *, indent: bool = True, align=None) -> None:
    paragraph = document.add_paragraph()
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(TEXT_SIZE * 2)
    if align is not None:
        paragraph.alignment = align
    _run(paragraph, text, font=FANGSONG, size=TEXT_SIZE)


def render_notice_docx(*, notice: PublicNotice) -> bytes:
    text = notice_text(notice=notice)
    document = Document()
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, text.title, font=HEI, size=TITLE_SIZE)
    for paragraph in text.paragraphs:
        _text(document, paragraph)
    table = document.add_table(rows=1, cols=len(text.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, label in zip(table.rows[0].cells, text.header, strict=True):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(cell.paragraphs[0], label, font=HEI, size=TABLE_SIZE)
    for row in text.rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            _run(cell.paragraphs[0], value, font=FANGSONG, size=TABLE_SIZE)
    for paragraph in text.closing:
        _text(document, paragraph)
    for line in [*text.issuers, text.issued_on]:
        _text(document, line, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
