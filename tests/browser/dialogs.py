"""The page's confirmation dialog (core/_confirm_modal.html, static/js/confirm-modal.js) as a user meets it.

Journeys click the action, then answer the modal here; native `window.confirm()` is gone, so `page.on("dialog")`
would wait for nothing.
"""

from playwright.sync_api import expect


def confirmation(page):
    return page.get_by_role("dialog")


def accept_confirmation(page, *, title=None, body=None):
    """The modal is open (with `title` and `body` when given), focus is on 取消; click its confirm button."""
    dialog = confirmation(page)
    expect(dialog).to_be_visible()
    if title is not None:
        expect(dialog.locator(".modal-title")).to_have_text(title)
    if body is not None:
        expect(dialog.locator(".modal-body")).to_contain_text(body)
    expect(dialog.get_by_role("button", name="取消", exact=True)).to_be_focused()
    dialog.locator("[data-confirm-accept]").click()
    expect(dialog).to_be_hidden()


def cancel_confirmation(page):
    dialog = confirmation(page)
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="取消", exact=True).click()
    expect(dialog).to_be_hidden()
