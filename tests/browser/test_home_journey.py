"""The foundation's end-to-end journey: the Chinese home page lists the 2022 call; a user logs in to the dashboard."""

import re

import pytest
from playwright.sync_api import expect

from shenbao.accounts.roles import Role
from tests.core.catalogue import compile_english_catalogue
from tests.factories import UserFactory


@pytest.mark.browser
def test_visitor_sees_the_2022_call_in_chinese_then_logs_in(live_server, page, call_2022, password, screenshot):
    user = UserFactory(username="applicant1", full_name="王经办", roles=[Role.APPLICANT])
    page.set_default_timeout(15_000)
    console_errors = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))

    page.goto(live_server.url + "/")

    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("link", name="申报评审平台")).to_be_visible()
    summary = page.locator("article", has_text=call_2022.title)
    expect(summary).to_be_visible()
    expect(summary.locator('time[datetime^="2022-12-08"]')).to_have_text(re.compile(r"^2022年12月8日"))
    expect(summary).to_contain_text("市级技师工作站")
    expect(summary).to_contain_text("30万元")
    expect(summary).to_contain_text("市级技能人才培养基地")
    expect(summary).to_contain_text("20万元")
    screenshot(page, "-home")

    page.get_by_role("link", name="登录", exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.locator("form:has(#id_password) [type=submit]").click()

    expect(page).to_have_url(live_server.url + "/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("工作台")
    expect(page.locator("main")).to_contain_text(user.organisation.name)
    expect(page.locator("main")).to_contain_text("申报单位经办人")
    screenshot(page)
    # Every script is a static file: nothing the CSP blocked, no script error.
    assert console_errors == []


@pytest.fixture
def english_catalogue(settings, tmp_path):
    # The live server runs in this process, so the override reaches it.
    settings.LOCALE_PATHS = [compile_english_catalogue(tmp_path / "locale")]


@pytest.mark.browser
def test_language_switch_in_the_browser(live_server, page, english_catalogue, transactional_db, screenshot):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("申报评审平台")

    page.get_by_role("button", name="English").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Application and Review Platform")
    expect(page.get_by_role("heading", name="Open calls")).to_be_visible()
    screenshot(page)

    page.get_by_role("button", name="简体中文").click()

    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", name="正在受理的申报通知")).to_be_visible()
