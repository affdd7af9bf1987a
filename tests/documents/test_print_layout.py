"""How the documents print: table cells measured in WeasyPrint's layout (lines per cell, repeated header rows, rows
kept whole, nothing past the margin), page furniture on every page of the PDF (pdftotext per page), the fonts
(pdffonts), the 审核意见 boxes, and the DOCX holding what the PDF holds, in the same order.

Everything is rendered once for the module (`printed`); the layout facts are read off WeasyPrint's boxes while
the pages are laid out, so the tests only read plain data.
"""

import dataclasses
import re
import subprocess

import pytest
from docx.oxml.ns import qn

from shenbao.documents.content import (
    FieldGroup,
    FieldRow,
    SectionBlock,
    TableBlock,
    build_document_content,
    chinese_number,
)
from shenbao.documents.layout import LANDSCAPE_TEXT_WIDTH_MM
from shenbao.documents.pdf import layout_document
from shenbao.documents.services import resolve_document_kind
from shenbao.documents.word import render_docx

from .builders import CITY_BODIES, make_filled_applications, rolled_back
from .helpers import (
    Printed,
    docx_body_text,
    docx_document,
    docx_furniture_text,
    measure_layout,
    pdftotext_pages,
    squeeze,
)

pytestmark = pytest.mark.django_db

DOCUMENTS = {
    "workstation": ("application-form", "application-report"),
    "training_base": ("application-form", "implementation-plan"),
}
ORGANISATION_12 = "晋城市人社局技能鉴定中心"
ORGANISATION_13 = "山西省人力资源和社会保障厅"
MEMBER_HEADERS = ("姓名", "身份证号码", "职业（工种）", "技能等级", "证书编号", "发证机构", "领衔人", "主要业绩")
LONG_TEXT = "主持液压支架焊接变形控制等技术攻关项目5项，获山西省技术能手称号，带徒12名，其中3名取得技师证书。"
WIDE_HEADERS = tuple(f"指标{number}" for number in range(1, 14))
# The paper form's member table with the platform's ID and issuer columns besides: too wide for a portrait page.
FULL_MEMBER_HEADERS = ("姓名", "性别", "出生年月", "身份证号码", "职业（工种）", "技能等级/职称", "证书编号")
FULL_MEMBER_HEADERS += ("发证机构", "所在岗位", "领衔人", "主要业绩")
FULL_MEMBER_ROW = ("王建国", "男", "1978-05", "140525********3014", "数控车工", "高级技师", "S000014052500001")
FULL_MEMBER_ROW += (ORGANISATION_13, "数控车间主任", "是", LONG_TEXT)
SYNTHETIC = "synthetic"
OVER_A_PAGE = "".join(f"第{number}句：本单位长期开展技能人才培养工作，成效显著。" for number in range(1, 121))


def member_rows(count):
    """A member table as the paper form's, long enough to run over several pages."""
    rows = []
    for number in range(1, count + 1):
        issuer = ORGANISATION_12 if number % 2 else ORGANISATION_13
        achievements = LONG_TEXT if number % 3 == 0 else "晋城市首席技师。"
        fixed = ("140525********3014", "数控车工", "技术技能带头人", "S000014052500001")
        rows.append((f"成员{number:02d}", *fixed, issuer, "是", achievements))
    return tuple(rows)


def with_test_tables(content):
    """The document with a section of two extra tables (the member table over pages, and 14 columns of figures) and
    a text longer than a page, in a table cell and in a form field."""
    wide_rows = tuple(("2023-01-01", "1200.50", "是", *("8600",) * 10) for _ in range(3))
    section = SectionBlock(
        number="九十九",
        title="版式测试",
        blocks=(
            TableBlock(label="成员名单（测试）", headers=MEMBER_HEADERS, rows=member_rows(40)),
            TableBlock(label="宽表（测试）", headers=WIDE_HEADERS, rows=wide_rows),
            TableBlock(label="全栏成员名单（测试）", headers=FULL_MEMBER_HEADERS, rows=(FULL_MEMBER_ROW,) * 3),
            TableBlock(label="长文（测试）", headers=("项目", "说明"), rows=(("甲", OVER_A_PAGE), ("乙", "短"))),
            FieldGroup(rows=(FieldRow("单位简介", OVER_A_PAGE, wide=True),)),
        ),
    )
    return dataclasses.replace(content, sections=(*content.sections, section))


def _print(content):
    document = layout_document(content)
    printed = Printed(content=content, pdf=document.write_pdf(), docx=render_docx(content), text_right=[])
    measure_layout(document, printed)
    return printed


@pytest.fixture(scope="module")
def printed(django_db_setup, django_db_blocker):
    """{(project type code, document slug): Printed}, plus SYNTHETIC: the 申报书 with the test tables."""
    with rolled_back(django_db_blocker):
        applications = make_filled_applications()
        contents = {}
        for code, documents in DOCUMENTS.items():
            application = applications[code]
            for document in documents:
                kind = resolve_document_kind(application=application, document=document)
                contents[code, document] = build_document_content(application=application, kind=kind)
    printed = {key: _print(content) for key, content in contents.items()}
    printed[SYNTHETIC] = _print(with_test_tables(contents["workstation", "application-form"]))
    return printed


# --- Tables ----------------------------------------------------------------------------------------------------


def test_a_12_character_organisation_name_takes_at_most_two_lines_in_the_member_table(printed):
    synthetic = printed[SYNTHETIC]
    members = synthetic.table_with("成员01")

    names = [cell for cell in synthetic.cells_of(members) if cell.text in (ORGANISATION_12, ORGANISATION_13)]
    assert len(names) == 40
    assert max(cell.lines for cell in names) <= 2, [(cell.text, cell.lines) for cell in names]
    short = [cell for cell in synthetic.cells_of(members) if not cell.header and len(cell.text) <= 4]
    assert short and all(cell.lines == 1 for cell in short)  # names, 序号, 是/否 never wrap
    ids = [cell for cell in synthetic.cells_of(members) if "********" in cell.text]
    assert ids and all(cell.lines == 1 for cell in ids)  # an ID number is not broken


@pytest.mark.parametrize("key", [(code, document) for code, documents in DOCUMENTS.items() for document in documents])
def test_short_values_of_the_filled_forms_wrap_to_two_lines_at_most(printed, key):
    cells = [cell for cell in printed[key].cells if not cell.header and cell.text and len(squeeze(cell.text)) <= 13]

    assert cells
    assert all(cell.lines <= 2 for cell in cells), [(cell.text, cell.lines) for cell in cells if cell.lines > 2]


def test_a_long_table_repeats_its_header_row_on_every_page_and_never_splits_a_row(printed):
    synthetic = printed[SYNTHETIC]
    members = synthetic.cells_of(synthetic.table_with("成员01"))

    pages = sorted({cell.page for cell in members})
    assert len(pages) >= 2
    for page in pages:
        headers = [cell.text for cell in members if cell.page == page and cell.header]
        assert headers == ["序号", *MEMBER_HEADERS], page
    rows = {}
    for cell in members:
        if not cell.header:
            rows.setdefault(cell.row, set()).add(cell.page)
    assert len(rows) == 40
    assert all(len(on_pages) == 1 for on_pages in rows.values())


def test_no_table_runs_past_the_right_margin(printed):
    for key, document in printed.items():
        overflowing = [cell for cell in document.cells if cell.right > document.text_right[cell.page] + 0.5]
        assert not overflowing, (key, [(cell.text, cell.right) for cell in overflowing])
    wide = printed[SYNTHETIC].cells_of(printed[SYNTHETIC].table_with("指标13"))
    assert all(cell.lines == 1 for cell in wide if not cell.header)  # dates and amounts stay whole


def test_a_table_too_wide_for_portrait_goes_on_a_landscape_page_and_keeps_its_floors(printed):
    synthetic = printed[SYNTHETIC]
    table = synthetic.cells_of(synthetic.table_with("技能等级/职称"))

    assert {cell.page for cell in table} <= synthetic.landscape
    after = max(synthetic.landscape) + 1
    assert after < len(synthetic.text_right) and after not in synthetic.landscape  # what follows is portrait again
    names = [cell for cell in table if cell.text == ORGANISATION_13]
    assert len(names) == 3 and all(cell.lines <= 2 for cell in names)
    assert all(cell.lines == 1 for cell in table if cell.text in ("140525********3014", "S000014052500001", "王建国"))
    pages = pdftotext_pages(synthetic.pdf)
    for number in sorted(synthetic.landscape):  # page furniture on landscape pages too
        assert f"第{number + 1}页共{len(pages)}页" in squeeze(pages[number])
        assert f"核验码：{synthetic.content.verification_code}" in pages[number]


def test_word_prints_the_too_wide_table_in_a_landscape_section(printed):
    document = docx_document(printed[SYNTHETIC].docx)

    orientations = [section.page_width > section.page_height for section in document.sections]
    # Portrait first and last; the wide tables (this one, and the member table of the full paper form) on
    # landscape sections of their own.
    assert orientations[0] is False and orientations[-1] is False and True in orientations
    assert all(orientations[i] != orientations[i + 1] for i in range(len(orientations) - 1))
    landscape = document.sections[orientations.index(True)]
    assert not landscape.different_first_page_header_footer and landscape.footer.is_linked_to_previous
    table = next(table for table in document.tables if "技能等级/职称" in [cell.text for cell in table.rows[0].cells])
    grid = sum(int(column.get(qn("w:w"))) for column in table._tbl.tblGrid.iter(qn("w:gridCol")))
    assert abs(grid / 56.7 - LANDSCAPE_TEXT_WIDTH_MM) < 1  # twips → mm: the landscape text width


def test_a_text_longer_than_a_page_runs_on_over_the_pages_whole(printed):
    # Rows are kept whole where they fit; one taller than a page is split rather than cut off.
    text = squeeze("".join(pdftotext_pages(printed[SYNTHETIC].pdf)))

    assert text.count("第120句：") == 2 and text.count("成效显著。") == 2 * 120


def test_word_tables_repeat_their_header_row_and_keep_rows_whole(printed):
    document = docx_document(printed[SYNTHETIC].docx)

    members = next(table for table in document.tables if table.rows[0].cells[-1].text == "主要业绩")
    assert members.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in members.rows)
    widths = [cell.width for cell in members.rows[1].cells]
    issuer = [cell.text for cell in members.rows[0].cells].index("发证机构")
    assert widths[issuer] > widths[0] * 2  # the columns follow their content, 序号 narrow
    assert members._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"


# The schema's order of the table and row properties (ECMA-376 CT_TblPr, CT_TrPr): Word refuses a file that breaks it.
TABLE_PROPERTIES = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize")
TABLE_PROPERTIES += (
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
)
ROW_PROPERTIES = ("cnfStyle", "divId", "gridBefore", "gridAfter", "wBefore", "wAfter", "cantSplit", "trHeight")
ROW_PROPERTIES += ("tblHeader", "tblCellSpacing", "jc", "hidden")


def _in_schema_order(element, order):
    tags = [child.tag.split("}")[1] for child in element]
    return all(tag in order for tag in tags) and [order.index(tag) for tag in tags] == sorted(
        order.index(tag) for tag in tags
    )


def test_word_table_properties_keep_the_schemas_order(printed):
    for key, document in printed.items():
        body = docx_document(document.docx).element.body
        for properties in body.iter(qn("w:tblPr")):
            assert _in_schema_order(properties, TABLE_PROPERTIES), (key, [child.tag for child in properties])
        for properties in body.iter(qn("w:trPr")):
            assert _in_schema_order(properties, ROW_PROPERTIES), (key, [child.tag for child in properties])


# --- Page furniture and fonts ------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", [(code, document) for code, documents in DOCUMENTS.items() for document in documents])
def test_every_page_is_numbered_and_carries_the_verification_code(printed, key):
    content = printed[key].content
    pages = pdftotext_pages(printed[key].pdf)

    assert len(pages) >= 2
    for number, text in enumerate(pages, 1):
        assert f"第{number}页共{len(pages)}页" in squeeze(text), number
        assert f"核验码：{content.verification_code}" in text, number
        if number > 1:
            assert squeeze(f"{content.title}申报编号：{content.number}") in squeeze(text), number


def test_only_the_embedded_noto_cjk_fonts_are_used(printed):
    for key, document in printed.items():
        output = subprocess.run(["pdffonts", "-"], input=document.pdf, capture_output=True, check=True).stdout
        rows = [line for line in output.decode().splitlines()[2:] if line.strip()]
        assert rows, key
        for line in rows:
            name, *_rest = line.split()
            assert re.fullmatch(r"[A-Z]{6}\+Noto-(Serif|Sans)-CJK-SC(-Bold)?", name), (key, line)
            # the last columns are: emb sub uni object-number generation
            assert re.search(r"\syes\s+yes\s+yes\s+\d+\s+\d+\s*$", line), (key, line)


def test_the_word_footer_numbers_pages_and_carries_the_verification_code(printed):
    for key, document in printed.items():
        code = document.content.verification_code
        footers = docx_document(document.docx).sections[0]
        for footer in (footers.footer, footers.first_page_footer):
            xml = footer._element.xml
            assert " PAGE " in xml and " NUMPAGES " in xml, key
            assert re.search(rf"第\s*1\s*页\s*共\s*1\s*页\s*核验码：{code}", footer.paragraphs[0].text), key


# --- Sign-off boxes ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", DOCUMENTS)
def test_application_form_closes_with_the_commitment_and_one_box_per_reviewing_body(printed, code):
    document = printed[code, "application-form"]
    content = document.content
    first, second = content.sign_offs
    numbers = len(content.sections)

    assert first.heading == f"{chinese_number(numbers + 1)}、申报单位承诺"  # numbered on after the form's sections
    assert second.heading == f"{chinese_number(numbers + 2)}、审核意见"
    assert second.title == "审核意见"
    titles = [box.title for box in second.boxes]
    assert titles == ["县（市、区）人社局或主管部门初审意见", "市委组织部复核意见", "市人社局复核意见"]
    text = squeeze("\n".join(pdftotext_pages(document.pdf)))
    for name, _function in CITY_BODIES:
        assert f"{name}（盖章）" in text  # each of the city's bodies seals its own box
    assert "泽州县人力资源和社会保障局（盖章）" in text
    assert text.count("（盖章）") == 1 + 1 + len(CITY_BODIES) + 1  # cover label, unit, first review, city bodies
    assert text.count("意见：") == 3
    assert text.count("年月日") == 4
    word = docx_document(document.docx)
    review = next(table for table in word.tables if table.rows[0].cells[0].text == titles[0])
    assert [row.cells[0].text for row in review.rows] == titles
    assert all("（盖章）" in row.cells[1].text and "意见：" in row.cells[1].text for row in review.rows)


def test_other_documents_close_with_the_units_seal_line(printed):
    for key in (("workstation", "application-report"), ("training_base", "implementation-plan")):
        text = squeeze("\n".join(pdftotext_pages(printed[key].pdf)))
        assert "申报单位（盖章）：" in text and "审核意见" not in text, key


# --- The DOCX says what the PDF says -------------------------------------------------------------------------------


def _tokens(content):
    """Every label and value of the document, in the order it is printed."""
    yield from (content.title, content.subtitle)
    for label, value in content.cover_rows:
        yield from (label, value)
    yield from (content.issuer, content.issued_month, *content.instructions)
    for section in content.sections:
        yield section.heading
        for block in section.blocks:
            if block.is_table:
                yield from (block.label, "序号", *block.headers)
                for number, row in enumerate(block.rows, 1):
                    yield from (str(number), *row)
            else:
                for row in block.rows:
                    yield from (row.label, row.value)
    for sign_off in content.sign_offs:
        yield sign_off.heading
        for box in sign_off.boxes:
            yield from (box.title, box.statement, *box.sign_lines)


def _missing_in_order(tokens, text):
    """The tokens not found in `text` one after the other (greedily, each after the previous one)."""
    position, missing = 0, []
    for token in map(squeeze, tokens):
        if not token:
            continue
        found = text.find(token, position)
        if found < 0:
            missing.append(token)
        else:
            position = found + len(token)
    return missing


def _pdf_body(document):
    """The PDF's text without its page furniture (running header, page number, code), which pdftotext puts
    between the pages' content and so inside a text that runs over a page break."""
    content = document.content
    text = squeeze("".join(pdftotext_pages(document.pdf)))
    text = text.replace(squeeze(f"{content.title}申报编号：{content.number}"), "")
    text = re.sub(r"第\d+页共\d+页", "", text)
    return re.sub(rf"核验码：{content.verification_code}(?!。)", "", text)


@pytest.mark.parametrize("key", [(code, document) for code, documents in DOCUMENTS.items() for document in documents])
def test_word_and_pdf_hold_the_same_labels_and_values_in_the_same_order(printed, key):
    document = printed[key]
    tokens = list(_tokens(document.content))

    assert len(tokens) > 40
    assert _missing_in_order(tokens, _pdf_body(document)) == []
    assert _missing_in_order(tokens, squeeze(docx_body_text(document.docx))) == []
    furniture = squeeze(docx_furniture_text(document.docx))
    assert squeeze(f"{document.content.title}申报编号：{document.content.number}") in furniture
    assert f"核验码：{document.content.verification_code}" in furniture


def test_the_order_check_notices_a_section_out_of_place(printed):
    document = printed["workstation", "application-form"]
    sections = document.content.sections
    swapped = dataclasses.replace(document.content, sections=(sections[-1], *sections[:-1]))

    assert _missing_in_order(_tokens(swapped), _pdf_body(document))
