"""通知公告 in a real browser: call administrator A drafts an announcement with an attachment and sends it for
review (A is offered no review of their own); administrator B of the same office finds it among their 待办, opens
the review page and publishes it; the anonymous visitor then sees it on the city portal, opens it and downloads the
attachment. Ends with `audit_verify`: every step's entry keeps the chain whole."""

import io
import re
from pathlib import Path

from django.core.management import call_command
from playwright.sync_api import expect

from shenbao.accounts.roles import Role
from shenbao.announcements.models import Announcement
from tests.applications.material_files import pdf_bytes
from tests.browser.navigation import open_menu_entry
from tests.factories import UserFactory

TITLE = "关于公布市级技师工作站认定名单的通知"


def log_in(page, live_server, user, password):
    page.context.clear_cookies()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.locator("form:has(#id_password) [type=submit]").click()
    expect(page).to_have_url(live_server.url + "/dashboard/")


def test_drafted_reviewed_by_a_second_person_published_and_shown_publicly(
    page, live_server, skills_office, password, screenshot, tmp_path
):
    page.set_default_timeout(15_000)
    console_errors = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    author = skills_office
    reviewer = UserFactory(organisation=author.organisation, roles=[Role.CALL_ADMIN], full_name="李审核")
    attachment = tmp_path / "认定名单.pdf"
    attachment.write_bytes(pdf_bytes())

    # A drafts, attaches the list and sends it for review.
    log_in(page, live_server, author, password)
    open_menu_entry(page, "通知公告管理")
    page.get_by_role("link", name="起草通知公告").click()
    page.get_by_label("类别").select_option(label="授牌名单")
    page.get_by_label("标题").fill(TITLE)
    page.get_by_label("正文").fill("经评审、公示，现将认定名单予以公布。\n\n名单见附件。")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    page.get_by_label("附件文件").set_input_files(str(attachment))
    page.get_by_role("button", name="上传附件").click()
    expect(page.get_by_role("link", name="认定名单.pdf")).to_be_visible()
    page.get_by_role("button", name="送审").click()
    expect(page.locator(".status-badge")).to_have_text("待审核")
    expect(page.get_by_role("button", name="审核通过并发布")).to_have_count(0)
    screenshot(page, "-01-sent-for-review")

    # B finds it among the 待办 and publishes it.
    log_in(page, live_server, reviewer, password)
    page.get_by_role("link", name=re.compile("1条通知公告待审核")).click()
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_text("经评审、公示，现将认定名单予以公布。")).to_be_visible()
    screenshot(page, "-02-review")
    page.get_by_role("button", name="审核通过并发布").click()
    expect(page.locator(".status-badge")).to_have_text("已发布")
    assert Announcement.objects.get().reviewed_by == reviewer

    # The anonymous visitor sees it on the city portal and downloads the attachment.
    page.context.clear_cookies()
    page.goto(live_server.url + "/c/jincheng/")
    section = page.locator("section", has=page.get_by_role("heading", name="通知公告"))
    section.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("名单见附件。")).to_be_visible()
    screenshot(page, "-03-public")
    with page.expect_download() as download:
        page.get_by_role("link", name="认定名单.pdf").click()
    assert download.value.suggested_filename == "认定名单.pdf"
    assert Path(download.value.path()).read_bytes() == pdf_bytes()

    assert console_errors == []
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "校验通过" in out.getvalue()
