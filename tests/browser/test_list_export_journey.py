"""The 技能办 administrator searches the applications across calls in a real browser: filters the list by industry
and state, saves the view, applies it again, exports the filtered rows as XLSX through a background job, downloads
the file and opens it with openpyxl: exactly the filtered rows. Ends with `audit_verify` (autouse)."""

import io
import re
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import expect

from shenbao.applications.models import Application
from tests.applications.search_rows import bulk_applications
from tests.browser.test_acceptance_journey import log_in


def test_the_administrator_filters_saves_a_view_and_exports_xlsx(
    page, live_server, call_2022, skills_office, screenshot
):
    call = call_2022
    workstation = call.project_types.get(code="workstation")
    build = {"call": call, "project_type": workstation, "created_by": skills_office}
    wanted = bulk_applications(count=3, industry="新材料", **build)
    bulk_applications(count=2, industry="新材料", status="returned", **build)
    bulk_applications(count=2, industry="装备制造", **build)
    log_in(page, live_server, skills_office)

    page.goto(f"{live_server.url}/applications/")
    expect(page.get_by_role("heading", name="申报管理", level=1)).to_be_visible()
    page.locator("#id_industry").select_option("新材料")
    page.locator("#id_state").select_option("submitted")
    page.get_by_role("button", name="筛选", exact=True).click()
    expect(page.get_by_text("符合条件的申报共3条")).to_be_visible()

    page.locator("#id_name").fill("新材料已提交")
    page.get_by_role("button", name="保存当前视图").click()
    expect(page.get_by_text("已保存视图「新材料已提交」。")).to_be_visible()
    page.get_by_role("link", name="清除条件").click()
    expect(page.get_by_text("符合条件的申报共7条")).to_be_visible()
    page.get_by_role("link", name="新材料已提交", exact=True).click()
    expect(page.get_by_text("符合条件的申报共3条")).to_be_visible()
    screenshot(page, "_list")

    page.locator("#id_format").select_option("xlsx")
    page.get_by_role("checkbox", name="统一社会信用代码").last.check()
    page.get_by_role("button", name="导出3条申报").click()
    expect(page.get_by_role("heading", name="申报列表导出")).to_be_visible()
    expect(page.get_by_text("已写入 3 行，共 3 行。")).to_be_visible()
    expect(page.get_by_text("文件已生成，行数已核对，可以下载。")).to_be_visible()
    screenshot(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^下载 applications-")).click()

    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("申报编号", "申报单位", "统一社会信用代码")
    expected = Application.objects.filter(pk__in=[application.pk for application in wanted])
    assert sorted(row[:3] for row in rows[1:]) == sorted(
        (application.number, application.unit.name, application.unit.credit_code)
        for application in expected.select_related("unit")
    )
