"""The print view of the 申报书 in a real browser, printed (print media): the tables keep the column widths the
PDF uses, so no short value is broken over more than two lines, and every paper copy closes with one sealed box per
reviewing body of the real reference data (the city's 组织部 and 人社局)."""

from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.test_acceptance_journey import log_in

# Per table cell of every paper copy: its text and the number of lines it takes (content height / line height).
MEASURE_CELLS = """
() => [...document.querySelectorAll('.print-copy .doc-table-fitted td')].map((cell) => {
  const style = getComputedStyle(cell);
  const content = cell.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
  return [cell.innerText.trim(), Math.round(content / parseFloat(style.lineHeight))];
})
"""


def test_printed_copies_keep_short_values_on_two_lines_and_seal_boxes_per_body(
    page, live_server, submitted_application, screenshot
):
    log_in(page, live_server, submitted_application.created_by)

    page.goto(live_server.url + reverse("documents:print", args=[submitted_application.public_id]))
    expect(page.get_by_role("heading", name="打印申报书")).to_be_visible()
    page.emulate_media(media="print")

    cells = page.evaluate(MEASURE_CELLS)
    short = [(text, lines) for text, lines in cells if 0 < len("".join(text.split())) <= 13]
    assert short
    assert all(lines <= 2 for _text, lines in short), [cell for cell in short if cell[1] > 2]
    copies = page.locator(".print-copy")
    assert copies.count() == 3
    for index in range(copies.count()):
        review = copies.nth(index).locator(".doc-sign-off").last
        expect(review.locator(".doc-seal-title")).to_have_text(
            ["县（市、区）人社局或主管部门初审意见", "市委组织部复核意见", "市人社局复核意见"]
        )
        expect(review).to_contain_text("中共晋城市委组织部（盖章）")
        expect(review).to_contain_text("晋城市人力资源和社会保障局（盖章）")
    screenshot(page)
