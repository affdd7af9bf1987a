"""待办 and the confirmation dialog in a real browser (issue 12, items 3 and 9):

the county reviewer's dashboard says 「1件待初审」, marked overdue (the 2022 call's 资格初审截止日期 has passed), and
its link opens the first-review queue; the applicant withdraws its application through the page's own modal,
which names the action, starts on 取消, gives focus back when dismissed with Escape, and acts only when confirmed.
"""

import re

import pytest
from playwright.sync_api import expect

from shenbao.accounts.roles import Role
from shenbao.applications.models import Application
from shenbao.applications.workflow import ApplicationStatus
from tests.browser.dialogs import accept_confirmation, confirmation
from tests.browser.test_review_journey import log_in, staff


@pytest.mark.browser
def test_todo_links_to_the_queue_and_the_modal_confirms_a_withdrawal(
    live_server, page, submitted_application, password, screenshot
):
    page.set_default_timeout(30_000)
    console_errors = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    application = submitted_application
    county = staff("晋城市城区人力资源和社会保障局", Role.COUNTY_REVIEWER, "城区初审员")

    log_in(page, live_server, county, password)
    todo = page.get_by_role("region", name="待办")
    item = todo.get_by_role("listitem").filter(has_text="1件待初审")
    expect(item).to_contain_text("1项已逾期")
    expect(page.get_by_role("navigation", name="主导航").get_by_role("link", name="征求意见")).to_be_visible()
    screenshot(page, "-01-county-dashboard-todo")
    item.get_by_role("link", name="1件待初审").click()
    expect(page).to_have_url(re.compile(r"/review/$"))
    expect(page.locator("main")).to_contain_text(application.number)

    log_in(page, live_server, application.created_by, password)
    page.goto(f"{live_server.url}/applications/{application.public_id}/")
    page.get_by_label(re.compile("撤回原因")).fill("本年度暂不申报。")
    withdraw = page.locator("main").get_by_role("button", name="撤回申报")
    withdraw.click()
    dialog = confirmation(page)
    expect(dialog).to_be_visible()
    expect(dialog).to_have_attribute("aria-modal", "true")
    expect(dialog.locator(".modal-title")).to_have_text("撤回申报")
    expect(dialog.locator(".modal-body")).to_have_text("撤回后该申报不再参加本次评审，不能恢复。")
    expect(dialog.get_by_role("button", name="取消", exact=True)).to_be_focused()
    screenshot(page, "-02-withdraw-confirmation")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(withdraw).to_be_focused()
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.SUBMITTED

    withdraw.click()
    accept_confirmation(page, title="撤回申报", body="不能恢复")
    expect(page.locator("main")).to_contain_text("已撤回")
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.WITHDRAWN
    assert console_errors == []
