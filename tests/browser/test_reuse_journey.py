"""复制往年申报 in a real browser: a unit awarded in 2022 starts the next call's application from its 2022 one, sees
what was copied and that the stricter rule now fails, then imports its enlarged member list from Excel."""

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from shenbao.accounts.roles import Role
from shenbao.applications.models import Application
from shenbao.calls.services import load_call_file
from shenbao.organisations.models import Region, UnitType
from tests.applications.builders import make_id_number
from tests.applications.reuse_helpers import copy_in_browser, load_next_years_call, make_earlier_application
from tests.factories import OrganisationFactory, UserFactory, load_jincheng_reference
from tests.paths import JINCHENG_2022

PASSWORD = "Test#pass2022"


@pytest.fixture
def world(transactional_db, tmp_path):
    load_jincheng_reference()
    call_2022 = load_call_file(path=JINCHENG_2022)
    unit = OrganisationFactory(
        name="晋城市泰丰精密机械有限公司",
        unit_type=UnitType.objects.get(code="enterprise"),
        region=Region.objects.get(key="140502"),
    )
    applicant = UserFactory(organisation=unit, roles=[Role.APPLICANT], full_name="赵经办")
    earlier = make_earlier_application(call=call_2022, unit=unit, user=applicant, status="awarded")
    # Next year the notice asks for 5 qualified members instead of 3.
    new_call = load_next_years_call(directory=tmp_path, threshold_changes={"qualified-members": 5})
    return {"applicant": applicant, "earlier": earlier, "call": new_call, "unit": unit}


def log_in(page, live_server, user):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form:has(#id_password) [type=submit]").click()
    expect(page).to_have_url(live_server.url + "/dashboard/")


def members_workbook(path, count):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "姓名",
            "性别",
            "出生年月",
            "身份证号码",
            "职业（工种）",
            "技能等级",
            "证书编号",
            "发证机构",
            "所在岗位",
            "领衔人",
            "主要业绩",
        ]
    )
    for n in range(1, count + 1):
        sheet.append(
            [
                f"成员{n}",
                "男",
                "1980-01",
                make_id_number(n),
                "数控车工",
                "技师",
                f"S{n:05d}",
                "山西省人社厅",
                "数控车间",
                "是" if n == 1 else "否",
                "",
            ]
        )
    workbook.save(path)  # a workbook as the unit's Excel saves it
    return path


def test_a_unit_copies_its_2022_application_and_imports_its_members(page, live_server, world, screenshot, tmp_path):
    page.set_default_timeout(30_000)
    console_errors = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    log_in(page, live_server, world["applicant"])

    copy_in_browser(page, live_server=live_server, call=world["call"], source=world["earlier"])

    main = page.locator("main")
    expect(main).to_contain_text(f"复制自 2022 年申报 {world['earlier'].number}")
    expect(main.locator(".copied-items").first).to_contain_text("所属行业")
    expect(main).to_contain_text("须重新上传的材料")
    rule = page.locator("#eligibility-panel li", has_text="3名以上技师")
    expect(rule.locator(".badge")).to_have_text("未通过")  # 3 members copied, 5 required now
    expect(rule).to_contain_text("5")
    screenshot(page, "-01-copy-report")

    page.get_by_role("link", name="逐项核对申报书").click()
    page.get_by_role("navigation", name="申报书各部分").get_by_role("link", name="工作站成员").click()
    expect(page.locator(".copy-notice")).to_contain_text("成员名单（3行）")
    expect(page.locator("#id_members-2-name")).to_have_value("成员3")

    card = page.locator(".table-import", has_text="成员名单")
    card.get_by_label("Excel文件（.xlsx）").set_input_files(str(members_workbook(tmp_path / "成员名单.xlsx", 5)))
    card.get_by_role("button", name="导入").click()
    expect(main).to_contain_text("已从Excel导入「成员名单」共5行")
    expect(page.locator("#id_members-4-name")).to_have_value("成员5")
    expect(page.locator("#eligibility-panel li", has_text="3名以上技师").locator(".badge")).to_have_text("通过")
    expect(page.locator(".copy-notice")).to_have_count(0)  # the section was changed since the copy
    screenshot(page, "-02-members-imported")

    application = Application.objects.get(call=world["call"], unit=world["unit"])
    assert application.copied_from_id == world["earlier"].pk
    assert len(application.form_data["members"]["members"]) == 5
    assert console_errors == []
