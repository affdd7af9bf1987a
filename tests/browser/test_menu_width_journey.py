"""The menu bar fits a 1,366 × 768 screen in both languages (issue 12, item 8): the roles with the most entries
(the city's 技能办 and the system administrator) keep the language switch and log-out on screen."""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from shenbao.accounts.roles import Role
from shenbao.calls.services import load_call_file
from shenbao.organisations.models import Organisation
from shenbao.organisations.reference import load_reference_file
from tests.core.catalogue import compile_english_catalogue
from tests.factories import PlatformFactory, UserFactory

BASE = Path(settings.BASE_DIR)
WIDTH = 1366
SWITCH_TO = {"zh-hans": "English", "en": "简体中文"}
LOG_OUT = {"zh-hans": "退出登录", "en": "Log out"}


@pytest.fixture
def people(transactional_db, settings, tmp_path):
    # The live server runs in this process, so the override reaches it.
    settings.LOCALE_PATHS = [compile_english_catalogue(tmp_path / "locale")]
    load_reference_file(path=BASE / "data" / "reference" / "jincheng.yaml")
    load_call_file(path=BASE / "calls" / "jincheng-2022.yaml")
    skills_office = Organisation.objects.get(name="晋城市人力资源和社会保障局技能办")
    return {
        "call_admin": UserFactory(organisation=skills_office, roles=[Role.CALL_ADMIN], full_name="郭大勇"),
        "system_admin": UserFactory(organisation=PlatformFactory(), roles=[Role.SYSTEM_ADMIN], full_name="周系统"),
    }


def log_in(page, live_server, user, password, language):
    page.context.clear_cookies()
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.locator("form:has(#id_password) [type=submit]").click()
    expect(page).to_have_url(live_server.url + "/dashboard/")


@pytest.mark.browser
@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("role", ["call_admin", "system_admin"])
def test_the_menu_fits_1366_pixels(live_server, page, people, password, screenshot, role, language):
    page.set_viewport_size({"width": WIDTH, "height": 768})
    log_in(page, live_server, people[role], password, language)
    expect(page.locator("html")).to_have_attribute("lang", language)

    navigation = page.get_by_role("navigation", name="主导航" if language == "zh-hans" else "Main navigation")
    widths = navigation.evaluate("nav => [nav.scrollWidth, document.documentElement.scrollWidth]")
    assert max(widths) <= WIDTH, widths

    switch = page.get_by_role("button", name=SWITCH_TO[language])
    user_menu = page.locator("#user-menu-button")
    for control in (switch, user_menu):
        expect(control).to_be_visible()
        box = control.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, box
    user_menu.click()
    log_out = page.get_by_role("button", name=LOG_OUT[language])
    expect(log_out).to_be_visible()
    box = log_out.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, box
    user_menu.click()
    screenshot(page)
