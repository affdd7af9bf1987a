"""Column widths of the documents' tables (documents/layout.py), at the boundaries of its rules."""

import pytest

from shenbao.documents.content import FieldRow
from shenbao.documents.layout import (
    CELL_PADDING_MM,
    FONT_SIZES_PT,
    LANDSCAPE_TEXT_WIDTH_MM,
    PT_MM,
    TEXT_FLOOR,
    TEXT_WIDTH_MM,
    pair_fields,
    table_layout,
    text_width,
)

NAME_12 = "晋城市人社局技能鉴定中心"


def em(layout, column):
    """The width of a column in em of the table's type, padding left out (as the floors are)."""
    em_mm = layout.font_size * PT_MM
    return (layout.widths[column] / 100 * TEXT_WIDTH_MM - CELL_PADDING_MM) / em_mm


def test_text_width_counts_chinese_as_one_em_and_latin_as_about_half():
    assert text_width("王建国") == 3
    assert 5 < text_width("2023-01-01") < 6
    assert text_width("第一行\n第二行较长") == 5  # the longest line


def test_widths_add_up_to_the_table_and_a_roomy_table_keeps_the_normal_size():
    layout = table_layout(("序号", "年份", "人数"), [("1", "2021", "1200")])

    assert layout.font_size == 9.0 and layout.size_class == ""
    assert sum(layout.widths) == pytest.approx(100, abs=0.05)
    assert layout.col_widths[0].endswith("%") and "," not in layout.col_widths[0]


def test_a_crowded_table_keeps_names_on_two_lines_and_short_values_whole():
    headers = ("序号", "姓名", "身份证号码", "职业（工种）", "技能等级", "证书编号", "发证机构", "领衔人", "主要业绩")
    row = ("1", "王建国", "140525********3014", "数控车工", "高级技师", "S000014052500001", NAME_12, "是", "长" * 200)

    layout = table_layout(headers, [row])

    assert layout.font_size < 9.0 and layout.size_class
    assert em(layout, 6) >= len(NAME_12) / 2  # the 12-character name in two lines
    assert em(layout, 1) >= 3 and em(layout, 3) >= 4  # 王建国 and 数控车工 on one line
    assert em(layout, 2) >= text_width("140525********3014")  # an ID number unbroken
    assert em(layout, 8) > TEXT_FLOOR  # the long text takes what is left


def test_too_many_columns_take_the_smallest_size():
    headers = ("序号", *(f"很长的栏目名称第{number}栏" for number in range(1, 25)))

    layout = table_layout(headers, [("1", *("一二三四五六七八九十" for _ in range(24)))])

    assert layout.font_size == min(FONT_SIZES_PT)
    assert sum(layout.widths) == pytest.approx(100, abs=0.2)  # each rounded to 0.01 %


def test_short_fields_pair_up_in_order_and_long_ones_stand_alone():
    rows = (
        FieldRow("单位名称", "晋城市金鼎精密机械制造有限公司", wide=True),
        FieldRow("统一社会信用代码", "91140525000000037L"),
        FieldRow("单位类型", "企业"),
        FieldRow("法定代表人", "王大明"),
        FieldRow("其中技师、高级技师及技术技能带头人（人）", "12"),  # a label too long to share the line
        FieldRow("主管部门", "—"),
        FieldRow("所属行业", "装备制造业"),
        FieldRow("主要技能岗位", "数控加工、机械装配、焊接、电工、钳工"),  # a value too long
    )

    lines = pair_fields(rows)

    assert [[row.label for row in line] for line in lines] == [
        ["单位名称"],
        ["统一社会信用代码", "单位类型"],
        ["法定代表人"],
        ["其中技师、高级技师及技术技能带头人（人）"],
        ["主管部门", "所属行业"],
        ["主要技能岗位"],
    ]
    assert [row for line in lines for row in line] == list(rows)  # nothing moves


def test_a_table_whose_floors_do_not_fit_portrait_goes_landscape_at_the_largest_size_that_fits():
    headers = ("序号", "姓名", "性别", "出生年月", "身份证号码", "职业（工种）", "技能等级/职称", "证书编号")
    headers += ("发证机构", "所在岗位", "领衔人", "主要业绩")
    row = ("1", "王建国", "男", "1978-05", "140525********3014", "数控车工", "高级技师", "S000014052500001")
    row += ("山西省人力资源和社会保障厅", "数控车间主任", "是", "长" * 60)

    layout = table_layout(headers, [row])

    assert layout.landscape and layout.text_width_mm == LANDSCAPE_TEXT_WIDTH_MM
    assert layout.font_size == max(FONT_SIZES_PT)  # landscape leaves room at the normal size
    assert not table_layout(headers[:9], [row[:9]]).landscape  # nine of its columns fit portrait
