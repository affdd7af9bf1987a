"""The applicant's journey in a real browser, as a new user would make it (issue 3, acceptance):

register the unit → start a workstation application from the open call → fill every section, adding table rows →
watch the eligibility panel turn to 通过 → upload the required materials → submit → download the 申报书 PDF.
"""

import io
import re
import struct
import zlib
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader, PdfWriter

from shenbao.applications.models import Application
from shenbao.calls.models import Call
from shenbao.calls.services import load_call_file
from shenbao.organisations.reference import load_reference_file
from tests.browser.dialogs import accept_confirmation
from tests.browser.workers import run_document_worker
from tests.web import mailed_link

BASE = Path(settings.BASE_DIR)
UNIT_NAME = "晋城市沁水县恒信精工机械有限公司"
CREDIT_CODE = "91140500BJ1XG6128F"
PASSWORD = "Hengxin#2022apply"
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def make_id_number(sequence, *, region="140521", birth="19820315"):
    """A valid 居民身份证号码 (GB 11643 check character) for the `sequence`-th person."""
    first17 = f"{region}{birth}{sequence:03d}"
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


def test_make_id_number_gives_the_published_check_characters():
    # GB 11643-1999 appendix example 11010519491231002X, and a number whose check digit is 0.
    assert make_id_number(2, region="110105", birth="19491231") == "11010519491231002X"
    assert all(len(make_id_number(n)) == 18 for n in range(1, 10))


def write_pdf(path, pages=1):
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def write_png(path, width=4, height=4):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    png = b"\x89PNG\r\n\x1a\n"
    png += chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(raw))
    png += chunk(b"IEND", b"")
    path.write_bytes(png)
    return path


@pytest.fixture
def open_call(transactional_db):
    """The real 2022 call and reference data, with the deadline moved a month ahead so the call is open."""
    load_reference_file(path=BASE / "data" / "reference" / "jincheng.yaml")
    call = load_call_file(path=BASE / "calls" / "jincheng-2022.yaml")
    Call.objects.filter(pk=call.pk).update(submission_deadline=timezone.now() + timedelta(days=30))
    call.refresh_from_db()
    return call


def fill(page, values):
    """Type into inputs by id: str → text, ("select", label) → option, True → tick the box."""
    for element_id, value in values.items():
        field = page.locator(f"#{element_id}")
        if value is True:
            field.check()
        elif isinstance(value, tuple):
            field.select_option(label=value[1])
        else:
            field.fill(value)


def save_and_continue(page, next_title):
    page.get_by_role("button", name="保存并填写下一部分").click()
    expect(page.get_by_role("heading", level=2, name=re.compile(re.escape(next_title)))).to_be_visible()


def register_unit(page, live_server, screenshot):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="单位注册").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("单位注册")

    page.fill("#id_name", UNIT_NAME)
    code = page.locator("#id_credit_code")
    code.press_sequentially(CREDIT_CODE[:-1] + "E")  # a typo in the check character: refused live …
    expect(page.locator("#credit-code-check")).to_contain_text("统一社会信用代码校验位不正确")
    code.fill("")
    code.press_sequentially(CREDIT_CODE.lower())  # … and the right code, typed in lower case, accepted
    expect(page.locator("#credit-code-check")).to_contain_text(f"代码 {CREDIT_CODE} 格式正确")
    page.get_by_label("单位类型").select_option(label="企业")
    page.get_by_label("所在区域").select_option(label="沁水县")
    fill(
        page,
        {
            "id_legal_representative": "陈恒信",
            "id_contact_name": "刘经办",
            "id_contact_phone": "0356-7021234",
            "id_contact_email": "office@hengxin.example.cn",
            "id_address": "山西省晋城市沁水县龙港镇工业园区8号",
            "id_username": "hengxin_liu",
            "id_full_name": "刘经办",
            "id_email": "liu@hengxin.example.cn",
            "id_phone": "13903561234",
            "id_password1": PASSWORD,
            "id_password2": PASSWORD,
        },
    )
    screenshot(page, "-01-register")
    page.get_by_role("button", name="注册").click()

    # The registration is confirmed from the mailbox: the link of the e-mail (sent by the outbox), then one button.
    expect(page.locator("main")).to_contain_text("注册信息已提交。我们已向")
    (message,) = [message for message in mail.outbox if "/accounts/register/confirm/" in message.body]
    link = mailed_link(message.body, "/accounts/register/confirm/")
    page.goto(live_server.url + link)
    page.get_by_role("button", name="完成注册并登录").click()

    expect(page).to_have_url(live_server.url + "/dashboard/")
    expect(page.locator("main")).to_contain_text("您的资格初审单位：沁水县人力资源和社会保障局")
    expect(page.locator("main")).to_contain_text(UNIT_NAME)
    screenshot(page, "-02-dashboard")


def start_workstation_application(page, live_server, call):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name=call.title).first.click()
    page.get_by_role("link", name="开始申报").click()
    page.get_by_label("市级技师工作站").check()
    page.get_by_role("button", name="创建申报").click()
    expect(page.get_by_role("heading", level=2, name=re.compile("单位基本情况"))).to_be_visible()


def fill_unit_profile(page):
    fill(
        page,
        {
            "id_industry": "装备制造业",
            "id_employee_count": "320",
            "id_skilled_worker_count": "186",
            "id_high_skilled_count": "47",
            "id_annual_revenue": "8650.50",
            "id_station_posts": "数控加工、焊接、设备维修",
            "id_founded_on": "2006-03-18",
            "id_email": "office@hengxin.example.cn",
            "id_postcode": "048200",
            "id_overview": "本公司成立于2006年，主营矿山机械零部件的精密加工，拥有省级企业技术中心。",
        },
    )
    save_and_continue(page, "技师工作站基本情况")


def fill_station(page):
    fill(
        page,
        {
            "id_name": "王建国数控技师工作站",
            "id_leader_name": "王建国",
            "id_leader_sex": ("select", "男"),
            "id_leader_birth_month": "1976-08",
            "id_leader_education": ("select", "大专"),
            "id_leader_occupation": "数控车工",
            "id_leader_level": ("select", "高级技师"),
            "id_leader_post": "数控车间主任",
            "id_leader_title": "高级工程师",
            "id_leader_phone": "13903567788",
            "id_leader_honours": "山西省技术能手",
        },
    )
    save_and_continue(page, "工作站成员")


MEMBERS = [
    ("王建国", "男", "数控车工", "高级技师", "GJ2019140500123", "山西省人力资源和社会保障厅"),
    ("李红梅", "女", "焊工", "技师", "JS2020140500456", "晋城市人力资源和社会保障局"),
    ("赵志强", "男", "机修钳工", "技术技能带头人", "DT2021140500789", "晋城市总工会"),
]


def fill_members(page, screenshot):
    panel = page.locator("#eligibility-panel")
    rule = panel.locator("li", has_text="3名以上技师")
    expect(rule.locator(".badge")).to_have_text("未通过")
    for index, (name, sex, occupation, level, certificate, issuer) in enumerate(MEMBERS):
        fill(
            page,
            {
                f"id_members-{index}-name": name,
                f"id_members-{index}-sex": ("select", sex),
                f"id_members-{index}-birth_month": f"198{index}-0{index + 3}",
                f"id_members-{index}-post": f"{occupation}岗位",
                f"id_members-{index}-id_number": make_id_number(index + 1),
                f"id_members-{index}-occupation": occupation,
                f"id_members-{index}-level": ("select", level),
                f"id_members-{index}-certificate_number": certificate,
                f"id_members-{index}-certificate_issuer": issuer,
                f"id_members-{index}-achievements": f"{name}主持完成技术革新项目2项。",
            },
        )
    page.locator("#id_members-0-is_leader").check()
    # A fourth member at 高级工 level, in a row added with the button: listed, but not counted by 一(一)1.
    page.get_by_role("button", name="添加一行").click()
    fill(
        page,
        {
            "id_members-3-name": "孙小兵",
            "id_members-3-sex": ("select", "男"),
            "id_members-3-birth_month": "1995-10",
            "id_members-3-post": "数控铣工岗位",
            "id_members-3-id_number": make_id_number(4),
            "id_members-3-occupation": "数控铣工",
            "id_members-3-level": ("select", "高级工"),
            "id_members-3-certificate_number": "GJG2022140500001",
            "id_members-3-certificate_issuer": "晋城市职业技能鉴定中心",
        },
    )
    page.get_by_role("button", name="保存", exact=True).click()

    expect(page.locator("#autosave-status")).to_contain_text("已自动保存")
    expect(rule.locator(".badge")).to_have_text("通过")
    expect(rule).to_contain_text("3")
    screenshot(page, "-03-members-eligible")
    save_and_continue(page, "人才培养、评价、使用制度和激励机制")


def fill_talent_system(page):
    fill(
        page,
        {
            "id_training_system": "建立新员工岗前培训、在岗技能提升和高技能人才研修三级培训制度。",
            "id_evaluation_system": "开展企业技能人才自主评价，每年组织两次职业技能等级认定。",
            "id_use_system": "技师、高级技师聘任为车间技术主管，参与工艺评审。",
            "id_incentives": "技能等级津贴每月300至1500元，技术革新成果按效益提成奖励。",
        },
    )
    save_and_continue(page, "师带徒计划")


def fill_mentoring(page):
    page.fill("#id_plan", "每名技师每年带徒2名，签订师徒协议，一年内徒弟取得高一级职业技能等级证书。")
    pairs = [("王建国", "高级技师", "周明", "数控车工"), ("李红梅", "技师", "吴静", "焊工")]
    for index, (mentor, level, apprentice, occupation) in enumerate(pairs):
        fill(
            page,
            {
                f"id_pairs-{index}-mentor": mentor,
                f"id_pairs-{index}-mentor_level": ("select", level),
                f"id_pairs-{index}-apprentice": apprentice,
                f"id_pairs-{index}-apprentice_level": ("select", "高级工"),
                f"id_pairs-{index}-occupation": occupation,
                f"id_pairs-{index}-target": "取得技师职业技能等级证书",
                f"id_pairs-{index}-start": "2023-01-01",
                f"id_pairs-{index}-end": "2024-12-31",
            },
        )
    save_and_continue(page, "与高校、科研院所合作")


def fill_cooperation(page):
    page.fill("#id_description", "与山西晋城技师学院共建实训基地，与太原理工大学开展数控工艺联合攻关。")
    partners = [("山西晋城技师学院", "技师学院", "2021-09-01"), ("太原理工大学", "高校", "2022-03-15")]
    for index, (partner, kind, start) in enumerate(partners):
        fill(
            page,
            {
                f"id_partners-{index}-partner": partner,
                f"id_partners-{index}-kind": ("select", kind),
                f"id_partners-{index}-agreement": "校企合作协议",
                f"id_partners-{index}-start": start,
                f"id_partners-{index}-end": "2025-12-31",
                f"id_partners-{index}-results": "联合攻关项目1项",
            },
        )
    save_and_continue(page, "技术研发和攻关")


def fill_research(page):
    page.fill("#id_record", "近三年组织技术攻关12次、技术研讨24次，解决生产难题30余项。")
    fill(
        page,
        {
            "id_projects-0-title": "大型齿轮箱壳体精密镗削工艺改进",
            "id_projects-0-year": "2021",
            "id_projects-0-outcome": "加工合格率由92%提高到99.5%，年节约成本80万元。",
        },
    )
    save_and_continue(page, "经营管理与社会责任")


def fill_operation(page):
    fill(
        page,
        {
            "id_operation": "近三年营业收入稳步增长，无不良信用记录。",
            "id_social_responsibility": "每年接收技工院校学生实习60人次，开展送技术下乡活动。",
            "id_facilities": "拥有五轴联动加工中心3台、三坐标测量机1台。",
        },
    )
    save_and_continue(page, "建站设想")


def fill_station_plan(page):
    fill(
        page,
        {
            "id_structure": "设站长1名、副站长2名，下设培训组、攻关组。",
            "id_duties": "站长统筹，副站长分管培训和攻关，成员按专长承担课题。",
            "id_rules": "制定工作站例会、课题管理、经费使用和考核制度。",
            "id_committed_funding": "50.00",
            "id_site_area": "320.5",
        },
    )
    equipment = [("五轴联动加工中心", "280.00", True), ("数字化焊接实训工位", "45.60", False)]
    for index, (name, value, advanced) in enumerate(equipment):
        fill(
            page,
            {
                f"id_equipment-{index}-name": name,
                f"id_equipment-{index}-model": f"型号{index + 1}",
                f"id_equipment-{index}-quantity": "2",
                f"id_equipment-{index}-value": value,
                f"id_equipment-{index}-advancement": "国内领先的加工精度",
            },
        )
        if advanced:
            page.locator(f"#id_equipment-{index}-is_advanced").check()
    topics = [("2023年", "师带徒", "数控车工技师培养"), ("2024年", "技术攻关", "齿轮箱壳体变形控制")]
    for index, (year, kind, title) in enumerate(topics):
        fill(
            page,
            {
                f"id_topics-{index}-year": ("select", year),
                f"id_topics-{index}-kind": ("select", kind),
                f"id_topics-{index}-title": title,
                f"id_topics-{index}-leader": "王建国",
                f"id_topics-{index}-due": f"{year[:4]}-11-30",
                f"id_topics-{index}-goal": "按期完成并形成书面成果",
            },
        )
    save_and_continue(page, "经费使用计划")


def fill_spending_plan(page):
    rows = [("设备购置", "18", "30", "购置数控检测设备"), ("师带徒培养", "12", "5", "带徒津贴")]
    for index, (category, subsidy, own, purpose) in enumerate(rows):
        fill(
            page,
            {
                f"id_budget-{index}-category": ("select", category),
                f"id_budget-{index}-subsidy_amount": subsidy,
                f"id_budget-{index}-own_amount": own,
                f"id_budget-{index}-purpose": purpose,
            },
        )
    page.get_by_role("button", name="保存", exact=True).click()
    # Every section ticked as complete: the last save has landed before the page is left.
    expect(page.locator("#section-nav .section-tick")).to_have_count(10)


def upload_materials(page, tmp_path, screenshot):
    page.get_by_role("link", name="申报状态").click()
    page.get_by_role("link", name="申报材料").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("申报材料")
    upload_required_workstation_materials(page, tmp_path)
    screenshot(page, "-04-materials")


def upload_required_workstation_materials(page, tmp_path):
    """On the 申报材料 page: one file for each required material of a workstation application, then all are in."""
    files = {
        "member-certificates": write_pdf(tmp_path / "成员证书.pdf", pages=2),
        "business-licence": write_png(tmp_path / "营业执照.png"),
        "bank-account": write_pdf(tmp_path / "开户许可证.pdf"),
    }
    for code, path in files.items():
        card = page.locator(f"#material-{code}")
        card.locator(f"#file-{code}").set_input_files(str(path))
        card.get_by_role("button", name="上传", exact=True).click()
        # The file's link (not only its progress line): the page has reloaded with the stored file.
        expect(card.get_by_role("link", name=path.name)).to_be_visible()
    expect(page.locator("main")).to_contain_text("必交材料已全部上传")


def submit(page, screenshot):
    page.get_by_role("link", name="返回申报").click()
    page.get_by_role("link", name="检查并提交").first.click()
    expect(page.locator("main")).to_contain_text("必交材料已上传齐全")
    rule = page.locator("tr", has_text="3名以上技师")
    expect(rule.locator(".badge")).to_have_text("通过")
    screenshot(page, "-05-checklist")
    page.get_by_role("button", name="提交申报").click()
    accept_confirmation(page, title="提交申报")

    status = page.locator("dt", has_text=re.compile("^状态$")).locator("xpath=following-sibling::dd[1]")
    expect(status).to_contain_text("已提交")
    expect(page.get_by_role("link", name="检查并提交")).to_have_count(0)
    screenshot(page, "-06-submitted")


@pytest.mark.browser
def test_new_unit_registers_fills_submits_and_downloads_the_application_form(
    live_server, page, open_call, tmp_path, screenshot
):
    page.set_default_timeout(30_000)
    console_errors = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))

    register_unit(page, live_server, screenshot)
    start_workstation_application(page, live_server, open_call)
    fill_unit_profile(page)
    fill_station(page)
    fill_members(page, screenshot)
    fill_talent_system(page)
    fill_mentoring(page)
    fill_cooperation(page)
    fill_research(page)
    fill_operation(page)
    fill_station_plan(page)
    fill_spending_plan(page)
    upload_materials(page, tmp_path, screenshot)
    submit(page, screenshot)

    application = Application.objects.select_related("unit").get()
    assert application.status == "submitted"
    assert application.unit.name == UNIT_NAME
    # The submitted version's 申报书 is rendered by the task worker: its page shows the progress, then the file.
    page.get_by_role("listitem").filter(has_text="建设项目申报书").get_by_role("link", name="下载PDF").click()
    expect(page.locator("#document-rendering")).to_contain_text("已排队，等待后台生成。")
    run_document_worker()
    with page.expect_download() as download_info:
        page.locator("#document-rendering").get_by_role("link", name=re.compile(r"^下载 .+\.pdf$")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    text = "".join(page_.extract_text() or "" for page_ in PdfReader(download.path()).pages)
    compact = re.sub(r"\s+", "", text)
    assert UNIT_NAME in compact
    assert application.number in compact
    assert console_errors == []
