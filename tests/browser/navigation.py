"""Moving around the site in a real browser: the main menu and its drop-downs."""


def open_menu_entry(page, label):
    """Click a main-menu entry; entries of a section sit in a drop-down that is opened first."""
    # Bootstrap's deferred script must have run, or a click on the drop-down's toggle opens nothing: after a form's
    # redirect (a log-in) the URL is there before the page has been parsed.
    page.wait_for_load_state("domcontentloaded")
    navigation = page.get_by_role("navigation", name="主导航")
    link = navigation.get_by_role("link", name=label, exact=True)
    if not link.is_visible():
        # The filter's locator is matched inside each <li>; closed drop-down entries are hidden, hence include_hidden.
        entry = page.get_by_role("link", name=label, exact=True, include_hidden=True)
        navigation.locator("li.dropdown").filter(has=entry).get_by_role("button").click()
    link.click()
