"""Real-browser tests: pytest-playwright driving Debian's chromium against Django's live server.

Playwright's own browser downloads are never used (no internet at run time): the launch arguments point at
/usr/bin/chromium, which the Makefile installs with apt when it is missing.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "test-results" / "screenshots"


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(item.path).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium, or make test)")
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A Chinese desktop browser, as the platform's users have; the page must be Chinese regardless.
    return {
        **browser_context_args,
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
        "viewport": {"width": 1280, "height": 900},
    }


@pytest.fixture
def screenshot(request):
    """`screenshot(page)` saves test-results/screenshots/<test name>.png and returns the path."""

    def take(page, suffix=""):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name).strip("_") + suffix
        path = SCREENSHOTS / f"{name}.png"
        # caret="initial": hiding the caret writes inline styles onto every input for the duration of the shot, and
        # an htmx swap landing meanwhile copies them onto new elements, which the CSP blocks with a console error.
        page.screenshot(path=str(path), full_page=True, caret="initial")
        return path

    return take


def open_menu_entry(page, label):
    """Click a main-menu entry; entries of a section sit in a drop-down that is opened first."""
    navigation = page.get_by_role("navigation", name="主导航")
    link = navigation.get_by_role("link", name=label, exact=True)
    if not link.is_visible():
        # The filter's locator is matched inside each <li>; closed drop-down entries are hidden, hence include_hidden.
        entry = page.get_by_role("link", name=label, exact=True, include_hidden=True)
        navigation.locator("li.dropdown").filter(has=entry).get_by_role("button").click()
    link.click()
