"""Every field the paper forms ask for (calls/jincheng-2022/*.docx) is printed, label and value, in the PDF (read
with poppler's pdftotext) and the DOCX (python-docx) of a fully filled application of each type (filled.py).

Each document is rendered once for the module. Values are compared without whitespace (`squeeze`), so a value
wrapped across the lines of a table cell still matches.
"""

import shutil
import subprocess

import pytest

from shenbao.documents.services import render_application_docx, render_application_pdf

from .builders import make_filled_applications, rolled_back
from .helpers import docx_text, squeeze

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed")

DOCUMENTS = (
    ("workstation", "application-form"),
    ("workstation", "application-report"),
    ("training_base", "application-form"),
    ("training_base", "implementation-plan"),
)

# What the workstation's 申报书 and 申请报告 both print: the unit, the station with its 领办人, the members.
WORKSTATION_UNIT_STATION_MEMBERS = (
    ("单位成立时间", "2003-06-18"),
    ("电子邮箱", "jinding@example.cn"),
    ("邮政编码", "048026"),
    ("其中技师（人）", "1"),  # 李秀英; derived from the member table
    ("其中高级技师（人）", "1"),  # 王建国
    ("工作站名称", "王建国数控技师工作站"),
    ("领办人姓名", "王建国"),
    ("领办人性别", "男"),
    ("领办人出生年月", "1978-05"),
    ("领办人学历", "本科"),
    ("领办人职业（工种）", "数控车工"),
    ("领办人技能等级", "高级技师"),
    ("领办人所在岗位", "数控车间主任"),
    ("领办人职称", "高级工程师"),
    ("领办人联系电话", "139****1234"),  # masked like the unit's contact phone, except for the unit's own staff
    ("领办人所获荣誉", "全国技术能手、三晋技能大师"),
    ("工作站成员数（人）", "4"),
    ("其中技师、高级技师及带头人（人）", "3"),
    ("性别", "女"),
    ("出生年月", "1983-09"),
    ("所在岗位", "焊接班长"),
)
# Derived values are printed as a label with its value beside it (the same row of the form grid).
ADJACENT = {
    "其中技师（人）",
    "其中高级技师（人）",
    "工作站成员数（人）",
    "其中技师、高级技师及带头人（人）",
    "领办人性别",
}

EXPECTED = {
    ("workstation", "application-form"): (
        "一、单位基本情况",
        "二、技师工作站基本情况",
        "三、工作站成员",
        *WORKSTATION_UNIT_STATION_MEMBERS,
    ),
    ("workstation", "application-report"): (
        "一、单位基本情况",
        "二、技师工作站基本情况",
        "三、工作站成员",
        "成员名单",
        "单位名称",  # the unit's registered facts open its 单位基本情况 here too
        "法定代表人",
        *WORKSTATION_UNIT_STATION_MEMBERS,
        ("师傅技能等级", "高级技师"),
        ("徒弟现技能等级", "中级工"),
        ("带徒开始日期", "2023-01-15"),
        ("带徒结束日期", "2024-12-20"),
        ("负责人", "赵志强"),
        ("计划完成时间", "2024-09-30"),
        ("型号/规格", "DMU-65-monoBLOCK"),
        ("数量", "3"),
        ("先进性说明", "五轴联动精度达到国际先进水平"),
        ("已取得成果", "联合研制焊接夹具获实用新型专利"),
        "经费使用计划",
        ("支出项目", "设备购置"),
        ("市级扶持经费（万元）", "18.50"),
        ("单位自筹（万元）", "5.25"),
        ("用途说明", "购置焊接检测仪"),
        ("合计", "30.00"),  # 18.50 + 11.50: the call's 30万元
        "45.25",  # the 单位自筹 total
    ),
    ("training_base", "application-form"): (
        ("单位成立时间", "1984-09-01"),
        ("办学/培训许可证号", "晋人社培字第1405001号"),
        ("占地面积（平方米）", "56300.00"),
        ("实训场所面积（平方米）", "12000.00"),
        ("实训设备总值（万元）", "2450.75"),
        ("工位数", "48"),
        ("其中企业职工（人）", "640"),
        ("其中在校学生（人）", "710"),
        ("其中社会人员（人）", "150"),
        ("取得证书人数（人）", "1234"),
        ("教师名单", "孙志刚"),
        ("专职/兼职", "兼职"),
        ("岗位（专业、职业）", "机电专业教研室主任"),
        ("职称/技能等级", "高级技师"),
        ("协议截止日期", "2027-08-31"),
        ("获得的荣誉", "国家级高技能人才培训基地"),
    ),
    ("training_base", "implementation-plan"): (
        "一、建设基础",
        "二、建设目标",
        "三、建设内容和主要任务",
        "四、进度安排",
        "五、经费预算",
        "六、保障措施",
        "七、预期成效及考核指标",
        ("单位概况、现有培训能力、师资、校企合作基础及存在的不足", "现有实训工位400个，但高端装备不足。"),
        ("主要指标现状", "实训工位数"),
        ("现状", "84"),
        ("年度目标", "取得职业资格（技能等级）证书人数"),
        ("2023年目标", "104"),
        ("2024年目标", "128"),
        ("培训能力建设（场所、实训装备、特色专业）", "新增智能制造实训区。"),
        ("课程、教材和培训模式建设", "开发活页式教材6本。"),
        ("建设阶段", "设备购置阶段"),
        ("开始日期", "2023-01-01"),
        ("结束日期", "2023-06-30"),
        ("阶段成果", "实训设备验收"),
        ("市级扶持经费（万元）", "12.00"),
        ("合计", "20.00"),  # the call's 20万元
        ("组织保障", "院长任建设领导小组组长。"),
        ("资金保障", "扶持经费专账核算。"),
        ("建设期满可供评估验收的成效", "建设期满年培训2000人。"),
        ("其他考核指标", "1800人"),
    ),
}


def pdftotext(data):
    """The PDF's text in the order it is drawn (-raw): a table cell's wrapped lines stay together."""
    command = ["pdftotext", "-q", "-raw", "-", "-"]
    return subprocess.run(command, input=data, capture_output=True, check=True).stdout.decode()


@pytest.fixture(scope="module")
def texts(django_db_setup, django_db_blocker):
    """{(code, document, "pdf" | "docx"): text without whitespace} of every document."""
    texts = {}
    with rolled_back(django_db_blocker):
        applications = make_filled_applications()
        for code, document in DOCUMENTS:
            application = applications[code]
            pdf = render_application_pdf(application=application, document=document)
            texts[code, document, "pdf"] = squeeze(pdftotext(pdf))
            docx = render_application_docx(application=application, document=document)
            texts[code, document, "docx"] = squeeze(docx_text(docx))
        workstation = applications["workstation"]
        for fmt, render, read in (
            ("pdf", render_application_pdf, pdftotext),
            ("docx", render_application_docx, docx_text),
        ):
            # As the unit's own staff get it, to print the paper copies.
            data = render(application=workstation, document="application-form", reveal_contact=True)
            texts["workstation", "revealed", fmt] = squeeze(read(data))
    return texts


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize(("code", "document"), DOCUMENTS)
def test_every_field_of_the_paper_form_is_printed(texts, code, document, fmt):
    text = texts[code, document, fmt]
    absent = []
    for expected in EXPECTED[code, document]:
        label, value = expected if isinstance(expected, tuple) else (expected, "")
        if label in ADJACENT:
            found = squeeze(label + value) in text
        else:
            found = squeeze(label) in text and squeeze(value) in text
        if not found:
            absent.append(expected)
    assert not absent, f"{code} {document} ({fmt}) lacks {absent}"


def test_the_report_and_the_plan_print_only_their_own_parts(texts):
    # The 申报书 of the workstation does not print the 申请报告's spending plan, nor the base's 申报书 the 实施方案.
    assert "经费使用计划" not in texts["workstation", "application-form", "pdf"]
    assert "年度目标" not in texts["training_base", "application-form", "pdf"]
    assert "教师名单" not in texts["training_base", "implementation-plan", "pdf"]


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_leaders_phone_is_in_full_only_for_the_units_own_staff(texts, fmt):
    assert "13903561234" not in texts["workstation", "application-form", fmt]
    assert "领办人联系电话13903561234" in texts["workstation", "revealed", fmt]
