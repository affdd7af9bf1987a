"""The audit administrator exports the filtered audit trail in a real browser: the button queues a background job,
its page shows the progress and the checked row count, then offers the file, which holds exactly the filtered
rows. Ends with `audit_verify` (the browser tests' autouse check): the export's own entries keep the chain whole."""

import csv
import io
import re
from pathlib import Path

from playwright.sync_api import expect

from shenbao.accounts.roles import Role
from shenbao.audit.services import record_event
from tests.browser.test_acceptance_journey import log_in
from tests.factories import PlatformFactory, UserFactory


def test_the_audit_administrator_exports_the_filtered_trail(page, live_server, transactional_db, screenshot):
    auditor = UserFactory(username="auditor_web", organisation=PlatformFactory(), roles=[Role.AUDIT_ADMIN])
    for number in range(3):
        record_event(event="matrix:probe", details={"n": number})
    record_event(event="matrix:other")
    log_in(page, live_server, auditor)

    page.goto(f"{live_server.url}/audit/?event=matrix:probe")
    page.get_by_role("button", name="导出CSV（当前筛选结果）").click()

    expect(page.get_by_role("heading", name="审计记录导出（CSV）")).to_be_visible()
    expect(page.get_by_text("已写入 3 行，共 3 行。")).to_be_visible()
    expect(page.get_by_text("文件已生成，行数已核对，可以下载。")).to_be_visible()
    screenshot(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^下载 audit-")).click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text("utf-8-sig"))))
    assert rows[0][0] == "时间（北京时间）"
    assert [row[3] for row in rows[1:]] == ["matrix:probe"] * 3

    page.get_by_role("link", name="我的导出").first.click()
    expect(page.get_by_role("link", name="审计记录导出（CSV）")).to_be_visible()
