"""The API's service accounts and documentation in a real browser (issue 16, point 5): the system administrator
creates a service account and copies its key from the page; a member of staff opens the documentation page, drawn
by the vendored Swagger UI under the site's CSP (no console error, nothing from a CDN), and tries an operation
with the page's session."""

import re

from playwright.sync_api import expect

from shenbao.accounts.roles import Role
from shenbao.apiaccess.models import ServiceAccount
from shenbao.organisations.models import Organisation
from tests.browser.test_acceptance_journey import log_in
from tests.factories import PlatformFactory, UserFactory


def test_a_key_is_shown_once_and_the_documentation_works_under_the_csp(page, live_server, call_2022, screenshot):
    console_errors, outside = [], []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    page.on("request", lambda request: request.url.startswith(live_server.url) or outside.append(request.url))
    body = Organisation.objects.get(name="晋城市人力资源和社会保障局")
    sysadmin = UserFactory(organisation=PlatformFactory(), roles=[Role.SYSTEM_ADMIN])
    reviewer = UserFactory(organisation=body, roles=[Role.CITY_REVIEWER])

    log_in(page, live_server, sysadmin)
    page.goto(f"{live_server.url}/api-access/new/")
    page.get_by_label("名称").fill("晋城市人社信息系统")
    page.get_by_label("所属单位").select_option(label=f"{body.name}（市人社局）")
    page.get_by_role("button", name="创建并显示密钥").click()
    key = page.get_by_test_id("api-key").inner_text()
    assert re.fullmatch(r"sbk_[0-9a-f]{8}_[\w-]{43}", key)
    assert ServiceAccount.objects.get().key_prefix == key[:12]
    page.get_by_role("link", name="返回列表").click()
    expect(page.get_by_role("cell", name=key[:12])).to_be_visible()
    assert key not in page.content()

    log_in(page, live_server, reviewer)
    page.goto(f"{live_server.url}/api/v1/docs/")
    expect(page.get_by_text("/api/v1/applications/{public_id}")).to_be_visible(timeout=20_000)
    page.get_by_text("/api/v1/calls", exact=True).click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    expect(page.locator(".live-responses-table tbody .response-col_status").first).to_have_text("200", timeout=10_000)
    expect(page.locator(".live-responses-table")).to_contain_text(call_2022.slug)
    screenshot(page)
    assert console_errors == [] and outside == []
