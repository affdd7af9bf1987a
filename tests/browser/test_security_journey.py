"""Identity controls in a real browser: TOTP enrolment with the locally rendered QR code, log-in with the second
factor, lock-out after 5 wrong passwords and unlocking by the security administrator (screenshots of each)."""

import re
import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from shenbao.accounts.roles import Role
from shenbao.organisations.models import Organisation
from tests.factories import GovernmentBodyFactory, PlatformFactory, UserFactory


def code_for(device):
    """The authenticator app's code: the current time step, or the next one if the current was just used."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time += (device.last_t + 1 - totp.t()) * device.step
    return f"{totp.token():0{device.digits}d}"


def code_from_secret(secret):
    """What an app computes from the secret typed in by hand (the text under the QR code)."""
    compact = secret.replace(" ", "")
    key = b32decode(compact + "=" * (-len(compact) % 8))
    totp = TOTP(key)
    totp.time = time.time()
    return f"{totp.token():06d}"


def log_in(page, live_server, username, password):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("form:has(#id_password) [type=submit]").click()


def log_out(page):
    page.locator("#user-menu-button").click()
    page.get_by_role("button", name="退出登录").click()


@pytest.mark.browser
def test_totp_enrolment_log_in_lockout_and_unlock(
    live_server, browser, page, transactional_db, settings, password, screenshot
):
    settings.SHENBAO_REQUIRE_SECOND_FACTOR = True
    bureau = GovernmentBodyFactory(
        name="晋城市城区人力资源和社会保障局", function=Organisation.Function.COUNTY_HR_BUREAU
    )
    UserFactory(username="county_li", full_name="李初审", organisation=bureau, roles=[Role.COUNTY_REVIEWER])
    security_admin = UserFactory(
        username="secadmin", full_name="孙安全", organisation=PlatformFactory(), roles=[Role.SECURITY_ADMIN]
    )
    admin_device = TOTPDevice.objects.create(user=security_admin, name="TOTP", confirmed=True)
    page.set_default_timeout(15_000)
    console_errors = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))

    # 1. Password first, then the enrolment page with the QR code rendered by the server.
    log_in(page, live_server, "county_li", password)
    expect(page).to_have_url(re.compile(r"/security/otp/enrol/\?next="))
    expect(page.get_by_role("heading", level=1)).to_have_text("绑定动态口令")
    qr = page.locator("img.otp-qr")
    expect(qr).to_be_visible()
    assert qr.evaluate("image => image.complete && image.naturalWidth > 0"), "the CSP must allow the data: image"
    secret = page.locator("#otp-secret").inner_text()
    screenshot(page, "-enrol")

    page.fill("#id_token", code_from_secret(secret))
    page.get_by_role("button", name="完成绑定").click()
    expect(page).to_have_url(live_server.url + "/dashboard/")
    expect(page.locator(".messages")).to_contain_text("动态口令已绑定")
    screenshot(page, "-enrolled")

    # 2. The next log-in asks for the code after the password.
    log_out(page)
    log_in(page, live_server, "county_li", password)
    expect(page).to_have_url(re.compile(r"/security/otp/verify/"))
    screenshot(page, "-verify")
    page.fill("#id_token", code_for(TOTPDevice.objects.get(user__username="county_li")))
    page.get_by_role("button", name="验证").click()
    expect(page).to_have_url(live_server.url + "/dashboard/")

    # 3. Five wrong passwords lock the user name for 15 minutes; even the right one is refused then.
    log_out(page)
    for _ in range(5):
        log_in(page, live_server, "county_li", "Wrong#guess2022")
    expect(page.get_by_role("heading", level=1)).to_have_text("账户已锁定")
    log_in(page, live_server, "county_li", password)
    expect(page.locator("main")).to_contain_text("该用户名连续 5 次登录失败，已被锁定 15 分钟")
    screenshot(page, "-locked")

    # 4. The security administrator (password + code) unlocks it.
    admin_context = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 900}
    )
    admin_page = admin_context.new_page()
    admin_page.set_default_timeout(15_000)
    log_in(admin_page, live_server, "secadmin", password)
    admin_page.fill("#id_token", code_for(admin_device))
    admin_page.get_by_role("button", name="验证").click()
    admin_page.get_by_role("link", name="登录锁定").first.click()
    row = admin_page.locator("tr", has_text="county_li")
    expect(row).to_be_visible()
    screenshot(admin_page, "-lockouts")
    row.get_by_role("button", name="解除锁定").click()
    expect(admin_page.locator(".messages")).to_contain_text("已解除用户名「county_li」的登录锁定。")
    screenshot(admin_page, "-unlocked")
    admin_context.close()

    # 5. The user logs in again.
    log_in(page, live_server, "county_li", password)
    expect(page).to_have_url(re.compile(r"/security/otp/verify/"))
    # The browser reports the 429 of the lock-out page as a failed resource; nothing else may appear (CSP).
    assert [error for error in console_errors if "429" not in error] == []
