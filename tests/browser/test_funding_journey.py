"""The funding journey in a real browser (issue 6, acceptance):

the call administrator enters the 2023 appropriation on the budget dashboard → opens the designated unit's funding
record from the ledger → records the start-up payment (120,000.00, voucher number) → sees the budget dashboard's
paid and remaining figures change; an overpayment on the way is refused on the form.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from shenbao.accounts.roles import Role
from shenbao.applications.services import start_application
from shenbao.calls.services import load_call_file
from shenbao.funding.models import LedgerEntry
from shenbao.funding.services import open_funding_record
from shenbao.organisations.models import Organisation, Region, UnitType
from shenbao.organisations.reference import load_reference_file
from tests.applications.builders import IN_TIME
from tests.browser.construction import record_payment
from tests.browser.navigation import open_menu_entry
from tests.factories import OrganisationFactory, UserFactory
from tests.funding.builders import designate

BASE = Path(settings.BASE_DIR)
UNIT_NAME = "晋城市城区泰达精密机械有限公司"
PASSWORD = "Test#pass2022"
DESIGNATED_ON = datetime.date(2023, 1, 10)


@pytest.fixture
def designated(transactional_db):
    """The real 2022 call with one workstation of a 城区 enterprise designated on 2023-01-10 (record opened)."""
    load_reference_file(path=BASE / "data" / "reference" / "jincheng.yaml")
    call = load_call_file(path=BASE / "calls" / "jincheng-2022.yaml")
    unit = OrganisationFactory(
        name=UNIT_NAME, unit_type=UnitType.objects.get(code="enterprise"), region=Region.objects.get(key="140502")
    )
    applicant = UserFactory(organisation=unit, roles=[Role.APPLICANT])
    application = start_application(
        call=call, project_type=call.project_types.get(code="workstation"), unit=unit, user=applicant, at=IN_TIME
    )
    admin = UserFactory(
        organisation=Organisation.objects.get(name="晋城市人力资源和社会保障局技能办"),
        roles=[Role.CALL_ADMIN],
        full_name="郭大勇",
    )
    application = designate(application, issued_on=DESIGNATED_ON, admin=admin)
    open_funding_record(application=application)
    return application, admin


def log_in(page, live_server, user):
    page.context.clear_cookies()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form:has(#id_password) [type=submit]").click()
    expect(page).to_have_url(live_server.url + "/dashboard/")


def year_cell(page, year, figure):
    return page.locator(f"#budget-years tbody tr:has(th:text-is('{year}')) td[data-figure={figure}]")


def test_the_administrator_records_the_startup_payment_and_sees_the_budget_change(
    page, live_server, designated, screenshot
):
    application, admin = designated
    log_in(page, live_server, admin)

    # The dashboard before: 120,000.00 committed in 2023, nothing paid, no appropriation yet (a warning).
    open_menu_entry(page, "预算执行")
    expect(page.get_by_role("heading", level=1)).to_have_text("预算执行")
    expect(page.get_by_role("alert").filter(has_text="2023年")).to_contain_text("尚未录入年度预算")
    expect(year_cell(page, 2023, "committed")).to_have_text("¥120,000.00")
    expect(year_cell(page, 2023, "paid")).to_have_text("¥0.00")
    page.select_option("#id_fund_source", label="市本级职业技能提升工程工作经费")
    page.fill("#id_year", "2023")
    page.fill("#id_amount", "2000000.00")
    page.get_by_role("button", name="保存预算").click()
    expect(page.get_by_role("alert").filter(has_text="2023年")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("年度预算已保存")
    expect(page.locator("svg[role=img]").first).to_be_visible()
    screenshot(page, "-01-budget-before")

    # The ledger → the unit's record: 启动经费 due, the 60% waiting for the acceptance.
    open_menu_entry(page, "经费台账")
    page.get_by_role("link", name=application.number).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(UNIT_NAME)
    instalments = page.get_by_role("table", name=re.compile("拨付批次"))
    expect(instalments.get_by_role("row", name=re.compile("启动经费"))).to_contain_text("待拨付")
    expect(instalments.get_by_role("row", name=re.compile("验收合格后拨付经费"))).to_contain_text("未到拨付条件")
    expect(page.locator("#id_instalment option")).to_have_count(1)  # only the due instalment is offered

    # One fen too much is refused on the form.
    record_payment(page, application.number, "120000.01", "记-2023-0018")
    expect(page.locator("main")).to_contain_text("超过「启动经费」未拨付金额 120000.00 元")
    screenshot(page, "-02-overpayment-refused")

    record_payment(page, application.number, "120000.00", "记-2023-0018")
    expect(page.locator("main")).to_contain_text("已录入拨付：启动经费 120,000.00 元（凭证号 记-2023-0018）")
    expect(page.locator("#record-paid")).to_have_text("¥120,000.00")
    expect(page.get_by_role("table", name=re.compile("拨付与冲销记录"))).to_contain_text("记-2023-0018")
    screenshot(page, "-03-payment-recorded")

    # The budget dashboard changed: paid 120,000.00, nothing remaining for 2023.
    open_menu_entry(page, "预算执行")
    expect(year_cell(page, 2023, "paid")).to_have_text("¥120,000.00")
    expect(year_cell(page, 2023, "remaining")).to_have_text("¥0.00")
    county = page.locator("#budget-counties tbody tr:has(th:text-is('城区')) td[data-figure=paid]")
    expect(county).to_have_text("¥120,000.00")
    screenshot(page, "-04-budget-after")
    assert LedgerEntry.objects.get().voucher_number == "记-2023-0018"
