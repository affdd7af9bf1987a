"""Build the three Word forms attached to the 2022 Jincheng notice (附件1–3) into calls/jincheng-2022/.

    .venv/bin/python scripts/build_jincheng_2022_templates.py

The notice only names the forms; their sections follow its clauses 一(一), 一(二) and 二, so that a unit that
fills them answers every condition the reviewers and experts check. The output is byte-for-byte reproducible
(fixed document dates and zip timestamps), so re-running it does not make `load_call` copy unchanged files.
"""

import io
import sys
import zipfile
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

OUT = Path(__file__).resolve().parent.parent / "calls" / "jincheng-2022"
SONG, HEI = "宋体", "黑体"
FIXED = datetime(2022, 12, 2, 9, 0, 0)

COVER_FIELDS = [
    "申报单位（盖章）",
    "统一社会信用代码",
    "所在县（市、区）",
    "主管部门",
    "联系人",
    "联系电话",
    "申报日期",
]


def _font(run, name, size=None, bold=None):
    run.font.name = name
    # Word picks East-Asian glyphs from w:eastAsia, not from the Latin font name python-docx sets.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold
    return run


def _style_fonts(document):
    for style_name, font_name, size in (
        ("Normal", SONG, 12),
        ("Title", HEI, 22),
        ("Heading 1", HEI, 16),
        ("Heading 2", HEI, 14),
    ):
        style = document.styles[style_name]
        style.font.name = font_name
        style.font.size = Pt(size)
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font_name)
        if style_name != "Normal":
            style.font.bold = True
            style.font.color.rgb = RGBColor(0, 0, 0)


def _para(document, text="", *, font=SONG, size=12, bold=False, align=None, indent=False):
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    if text:
        _font(paragraph.add_run(text), font, size, bold)
    return paragraph


def _heading(document, text, level=1):
    heading = document.add_heading(level=level)
    _font(heading.add_run(text), HEI, 16 if level == 1 else 14, True)
    return heading


def _cell(cell, text, *, bold=False, align=None):
    cell.text = ""
    paragraph = cell.paragraphs[0]
    if align is not None:
        paragraph.alignment = align
    _font(paragraph.add_run(text), HEI if bold else SONG, 10.5, bold)


def _table(document, header, rows=4, *, widths=None, caption=None):
    if caption:
        _para(document, caption, font=HEI, size=12)
    table = document.add_table(rows=1 + rows, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for index, title in enumerate(header):
        _cell(table.rows[0].cells[index], title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    if widths:
        for row in table.rows:
            for index, width in enumerate(widths):
                row.cells[index].width = Cm(width)
    return table


def _form(document, pairs, *, columns=2):
    """A label/value grid: `columns` label-value pairs per row; a pair whose label ends in "*" spans the row."""
    table = document.add_table(rows=0, cols=columns * 2)
    table.style = "Table Grid"
    row = None
    position = 0
    for label in pairs:
        wide = label.endswith("*")
        label = label.rstrip("*")
        if wide or row is None or position >= columns:
            row = table.add_row().cells
            position = 0
        _cell(row[position * 2], label, bold=True)
        if wide:
            row[1].merge(row[-1])
            position = columns
        else:
            position += 1
    return table


def _text_box(document, prompt, lines=6):
    """A one-cell table to write in, with the notice's prompt as guidance."""
    table = document.add_table(rows=1, cols=1)
    table.style = "Table Grid"
    cell = table.rows[0].cells[0]
    _cell(cell, f"({prompt})")
    for _ in range(lines):
        cell.add_paragraph()


def _cover(document, title, subtitle):
    for _ in range(4):
        _para(document)
    _para(document, title, font=HEI, size=24, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    if subtitle:
        _para(document, subtitle, font=SONG, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    for _ in range(4):
        _para(document)
    table = document.add_table(rows=len(COVER_FIELDS), cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row, label in zip(table.rows, COVER_FIELDS, strict=True):
        row.cells[0].width, row.cells[1].width = Cm(4.5), Cm(8)
        _cell(row.cells[0], f"{label}:", bold=True)
        _cell(row.cells[1], "________________________________")
    for _ in range(5):
        _para(document)
    _para(
        document, "中共晋城市委组织部\u3000晋城市人力资源和社会保障局\u3000制", size=14, align=WD_ALIGN_PARAGRAPH.CENTER
    )
    _para(document, "二〇二二年十二月", size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _instructions(document, items):
    _para(document, "填 表 说 明", font=HEI, size=16, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for number, item in enumerate(items, 1):
        _para(document, f"{number}.{item}", indent=True)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _commitment_and_review(document, first_heading_number, project):
    _heading(document, f"{first_heading_number}、申报单位承诺")
    _text_box(
        document,
        f"本单位承诺所填内容及所附材料真实、准确、完整，遵守国家有关法律法规，未发生过违规违纪事件；"
        f"如获批{project}，将按申报书和实施方案组织建设，专款专用，接受评估验收和监督检查。",
        lines=2,
    )
    _para(
        document,
        "法定代表人（签字）：\u3000\u3000\u3000\u3000\u3000\u3000申报单位（盖章）",
        align=WD_ALIGN_PARAGRAPH.RIGHT,
    )
    _para(document, "年\u3000\u3000月\u3000\u3000日", align=WD_ALIGN_PARAGRAPH.RIGHT)
    _heading(document, f"{_next_number(first_heading_number)}、审核意见")
    table = document.add_table(rows=3, cols=2)
    table.style = "Table Grid"
    opinions = [
        "县（市、区）人社局\n或主管部门初审意见",
        "市委组织部\n复核意见",
        "市人力资源和社会保障局\n复核意见",
    ]
    for row, label in zip(table.rows, opinions, strict=True):
        row.cells[0].width, row.cells[1].width = Cm(4.5), Cm(11)
        _cell(row.cells[0], label, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        _cell(
            row.cells[1],
            "\n\n\n(盖章)\u3000\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日",
            align=WD_ALIGN_PARAGRAPH.RIGHT,
        )


NUMBERS = "一二三四五六七八九十"


def _next_number(number):
    return NUMBERS[NUMBERS.index(number) + 1]


def _new_document():
    document = Document()
    _style_fonts(document)
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.top_margin = section.bottom_margin = Cm(2.54)
    section.left_margin = section.right_margin = Cm(2.8)
    document.core_properties.author = "晋城市人力资源和社会保障局"
    document.core_properties.created = document.core_properties.modified = FIXED
    document.core_properties.last_modified_by = "晋城市人力资源和社会保障局"
    document.core_properties.revision = 1
    return document


def workstation_form():
    document = _new_document()
    _cover(document, "晋城市技师工作站建设项目申报书", "（市级技师工作站）")
    _instructions(
        document,
        [
            "本申报书一式三份，连同申请报告、营业执照或主管部门批准成立的文件复印件、银行基本账户复印件及电子版，"
            "于申报截止时间前报市人力资源和社会保障局技能办（市人社局201室）。",
            "可申报单位：企业、行业协会、科研生产型事业单位、市级以上公共技能实训基地或技能人才培训基地等单位。",
            "“技术技能带头人”指具有精湛技艺，在生产实践中能运用个人技能开展传帮带和带领团队解决实际问题的人员；"
            "技师、高级技师及技术技能带头人合计须3名以上（通知一（一）1）。",
            "表格不够填写的可另附页；所填内容须与佐证材料一致。",
        ],
    )
    _heading(document, "一、申报单位基本情况")
    _form(
        document,
        [
            "单位名称*",
            "统一社会信用代码",
            "单位类型",
            "法定代表人",
            "成立时间",
            "所属行业",
            "主管部门",
            "职工总数（人）",
            "技能人才总数（人）",
            "高技能人才数（人）",
            "其中技师、高级技师（人）",
            "通讯地址*",
            "联系人",
            "联系电话",
            "电子邮箱",
            "邮政编码",
        ],
    )
    _heading(document, "二、技师工作站基本情况")
    _form(
        document,
        [
            "工作站名称*",
            "领办人",
            "技能等级/职称",
            "工作站成员数（人）",
            "其中技师、高级技师及带头人（人）",
            "场所面积（平方米）",
            "设备总值（万元）",
            "单位年投入资金（万元）",
            "主要技能岗位（职业、工种）",
        ],
    )
    _heading(document, "三、领办人及工作站成员情况（通知一（一）1）")
    _table(
        document,
        ["序号", "姓名", "性别", "出生年月", "职业（工种）", "技能等级/职称", "证书编号", "所在岗位", "主要业绩"],
        rows=8,
    )
    _heading(document, "四、人才培养、评价、使用制度和激励机制（通知一（一）2）")
    _text_box(document, "已建立的技能人才培养、评价、使用制度和激励措施，执行情况及成效")
    _heading(document, "五、师带徒计划（通知一（一）2）")
    _table(
        document,
        ["序号", "师傅姓名", "技能等级", "徒弟姓名", "徒弟现技能等级", "职业（工种）", "培养目标", "起止时间"],
        rows=6,
    )
    _heading(document, "六、合作与技术攻关能力（通知一（一）3）")
    _table(
        document,
        ["序号", "合作高校（含技师学院）或科研院所", "合作内容", "合作起止时间", "已取得成果"],
        rows=4,
        caption="（一）合作情况",
    )
    _table(
        document,
        ["序号", "技术攻关/研讨课题", "负责人", "计划完成时间", "预期成果"],
        rows=4,
        caption="（二）技术攻关和技术研讨计划",
    )
    _heading(document, "七、经营管理状况及对工作站的支持（通知一（一）4）")
    _text_box(
        document, "单位经营管理状况、履行社会责任和推动技术进步情况；为工作站提供的资金支持、场所和设备等工作条件"
    )
    _heading(document, "八、先进生产、科研设施设备（通知一（一）5）")
    _table(document, ["序号", "设施设备名称", "型号/规格", "数量", "价值（万元）", "先进性说明"], rows=5)
    _commitment_and_review(document, "九", "市级技师工作站")
    return document


def base_form():
    document = _new_document()
    _cover(document, "晋城市技能人才培养基地建设项目申报书", "（市级技能人才培养基地）")
    _instructions(
        document,
        [
            "本申报书连同《晋城市技能人才培养基地建设项目实施方案》和相关佐证材料一式三份及电子版，"
            "于申报截止时间前报市人力资源和社会保障局技能办（市人社局201室）。",
            "可申报单位：职业院校、企业（行业）、职业技能培训机构、公共职业技能实训基地。",
            "申报单位须具有2个以上急需紧缺特色专业（职业、工种）相匹配的实训装备，年培训规模不少于300人（通知一（二）2）；"
            "院校、培训机构须与2家以上企业建立稳定合作关系，有3个以上专业与合作企业（院校）共同研究确定（通知一（二）4）。",
            "表格不够填写的可另附页；所填数据须与佐证材料一致。",
        ],
    )
    _heading(document, "一、申报单位基本情况")
    _form(
        document,
        [
            "单位名称*",
            "统一社会信用代码",
            "单位类型",
            "法定代表人",
            "成立时间",
            "主管部门",
            "办学/培训许可证号",
            "占地面积（平方米）",
            "实训场所面积（平方米）",
            "实训设备总值（万元）",
            "专职教师（人）",
            "兼职教师（人）",
            "技工院校年招生指标（人）",
            "近一年技能人才培养数（人）",
            "通讯地址*",
            "联系人",
            "联系电话",
        ],
    )
    _heading(document, "二、管理规范（通知一（二）1）")
    _text_box(document, "组织管理体系、机构设置和岗位职责；培训管理、财务管理、资产管理、风险管理等制度；遵纪守法情况")
    _heading(document, "三、培训能力（通知一（二）2）")
    _table(
        document,
        ["序号", "特色专业（职业、工种）", "是否急需紧缺", "主要实训装备", "工位数", "设备价值（万元）"],
        rows=5,
        caption="（一）特色专业实训装备",
    )
    _table(
        document,
        ["年度", "培训总人数", "其中企业职工", "其中在校学生", "其中社会人员", "取得证书人数"],
        rows=3,
        caption="（二）近三年职业技能培训规模",
    )
    _heading(document, "四、师资队伍（通知一（二）3）")
    _table(
        document, ["序号", "姓名", "专职/兼职", "专业（职业）", "职称/技能等级", "承担课程", "是否专业带头人"], rows=8
    )
    _text_box(document, "师资培养机制、培养规划和实施方案", lines=3)
    _heading(document, "五、培训合作（通知一（二）4）")
    _table(document, ["序号", "合作企业名称", "合作内容", "协议起止时间"], rows=4, caption="（一）合作企业")
    _table(
        document,
        ["序号", "共建专业", "合作企业（院校）", "共同确定的内容（专业建设、课程、培养计划、师资、课题、实习）"],
        rows=4,
        caption="（二）与合作企业（院校）共同研究确定的专业",
    )
    _table(document, ["序号", "姓名", "所在企业", "技能等级/职称", "指导专业"], rows=4, caption="（三）企业指导教师")
    _heading(document, "六、特色与示范作用（通知一（二）5）")
    _text_box(document, "服务我市重点产业和紧缺职业（工种）情况，示范引领作用，获得的荣誉")
    _commitment_and_review(document, "七", "市级技能人才培养基地")
    return document


def base_plan():
    document = _new_document()
    _cover(document, "晋城市技能人才培养基地建设项目实施方案", "（建设周期：2023年—2024年）")
    _heading(document, "一、建设基础")
    _text_box(document, "单位概况、现有培训能力、师资、校企合作基础及存在的不足")
    _heading(document, "二、建设目标")
    _text_box(document, "两年建设期的总体目标", lines=3)
    table = _table(document, ["指标", "现状", "2023年目标", "2024年目标"], rows=0, caption="年度目标")
    for name in [
        "年培训规模（人）",
        "取得职业资格（技能等级）证书人数",
        "急需紧缺特色专业数",
        "实训工位数",
        "专兼职教师数",
        "合作企业数",
        "共建专业数",
    ]:
        _cell(table.add_row().cells[0], name)
    _heading(document, "三、建设内容和主要任务")
    for title in [
        "（一）培训能力建设（场所、实训装备、特色专业）",
        "（二）师资队伍建设",
        "（三）培训合作（合作企业、共建专业、企业指导教师）",
        "（四）课程、教材和培训模式建设",
        "（五）示范引领",
    ]:
        _para(document, title, font=HEI, size=12)
        _text_box(document, "具体任务、措施和预期成果", lines=3)
    _heading(document, "四、进度安排")
    _table(document, ["阶段", "起止时间", "主要任务", "阶段成果"], rows=4)
    _heading(document, "五、经费预算")
    table = _table(
        document, ["支出项目", "市级扶持经费（万元）", "单位自筹（万元）", "合计（万元）", "用途说明"], rows=0
    )
    for name in ["实训装备购置与更新", "师资培训", "课程与教材开发", "校企合作", "其他", "合计"]:
        _cell(table.add_row().cells[0], name)
    _para(
        document,
        "注：市级扶持经费20万元分两次拨付，评定后拨付启动经费8万元（40%），评估验收合格后拨付12万元（60%）。",
        size=10.5,
    )
    _heading(document, "六、保障措施")
    _text_box(document, "组织保障、制度保障、资金保障")
    _heading(document, "七、预期成效及考核指标")
    _text_box(document, "建设期满可供评估验收的成效和量化指标")
    _para(document)
    _para(
        document,
        "申报单位（盖章）\u3000\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日",
        align=WD_ALIGN_PARAGRAPH.RIGHT,
    )
    return document


def save_reproducibly(document, path):
    """Save with fixed zip timestamps so identical content gives identical bytes (and the same sha256)."""
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=FIXED.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(item.filename))


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, build in (
        ("workstation-application-form.docx", workstation_form),
        ("base-application-form.docx", base_form),
        ("base-implementation-plan.docx", base_plan),
    ):
        save_reproducibly(build(), OUT / name)
        sys.stdout.write(f"{OUT / name}\n")


if __name__ == "__main__":
    main()
