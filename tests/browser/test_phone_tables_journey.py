"""Phone layout (issue 12, item 12): at 390 px the applicant's list stacks each row into 「label: value」 lines, so the
call's title gets the width of the screen instead of one character per line."""

import pytest
from playwright.sync_api import expect

PHONE = {"width": 390, "height": 844}


@pytest.mark.browser
def test_the_applicants_list_stacks_on_a_phone(
    live_server, transactional_db, page, draft, applicant, password, screenshot
):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", applicant.username)
    page.fill("#id_password", password)
    page.locator("form:has(#id_password) [type=submit]").click()
    expect(page).to_have_url(live_server.url + "/dashboard/")

    page.goto(live_server.url + "/applications/")
    title = page.locator("table.table-stack td", has_text=draft.call.title)
    expect(title).to_be_visible()
    # The label is shown above the value, and the value runs across the screen: several characters per line.
    assert title.evaluate("cell => getComputedStyle(cell, '::before').content") == '"申报通知"'
    box = title.bounding_box()
    assert box["width"] > 300, box
    line_height = title.evaluate("cell => parseFloat(getComputedStyle(cell).lineHeight)")
    assert box["height"] < 6 * line_height, (box, line_height)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page)
