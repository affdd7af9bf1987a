"""The fields of the paper forms in a real browser (issue 13): an applicant fills the 技师工作站基本情况 (领办人 block,
month inputs) and sees the counts derived from the member table, then plans the 经费使用计划: a total of 29.99万元
is refused (on the section page and at submission) until it equals the call's 30万元, and the application is
submitted. Ends with `audit_verify` like the other journeys."""

import datetime
import io
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from shenbao.accounts.roles import Role
from shenbao.applications.models import Application
from shenbao.applications.services import start_application
from shenbao.calls.models import Call
from shenbao.organisations.models import Region, UnitType
from tests.applications.builders import attach_required_materials, fill_sections, workstation_sections
from tests.browser.dialogs import accept_confirmation
from tests.factories import OrganisationFactory, UserFactory

REFUSAL = "经费使用计划：市级扶持经费（万元）合计须等于本次通知确定的30万元"


@pytest.fixture
def draft_without_new_sections(call_2022):
    """A workstation draft of the reopened 2022 call: every section filled but the station and the spending plan."""
    Call.objects.filter(pk=call_2022.pk).update(submission_deadline=timezone.now() + datetime.timedelta(days=30))
    call_2022.refresh_from_db()
    unit = OrganisationFactory(
        name="晋城市城区鸿泰精工有限公司",
        unit_type=UnitType.objects.get(code="enterprise"),
        region=Region.objects.get(key="140502"),
    )
    applicant = UserFactory(organisation=unit, roles=[Role.APPLICANT], full_name="周经办")
    application = start_application(
        call=call_2022, project_type=call_2022.project_types.get(code="workstation"), unit=unit, user=applicant
    )
    sections = workstation_sections(qualified=3)
    del sections["station"], sections["spending_plan"]
    application = fill_sections(application=application, user=applicant, sections=sections)
    attach_required_materials(application=application, user=applicant)
    return application, applicant


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def open_section(page, title):
    page.get_by_role("navigation", name="申报书各部分").get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=2, name=re.compile(re.escape(title)))).to_be_visible()


def saved(page):
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator("#autosave-status")).to_contain_text("已自动保存")


def fill_station(page, screenshot):
    open_section(page, "技师工作站基本情况")
    page.fill("#id_name", "成员1数控技师工作站")
    page.fill("#id_leader_name", "成员1")
    page.select_option("#id_leader_sex", label="男")
    page.fill("#id_leader_birth_month", "1980-01")
    page.select_option("#id_leader_education", label="本科")
    page.fill("#id_leader_occupation", "数控车工")
    page.select_option("#id_leader_level", label="技师")
    page.fill("#id_leader_post", "数控车间主任")
    page.fill("#id_leader_phone", "13903561234")
    page.fill("#id_leader_honours", "山西省技术能手")
    saved(page)
    page.reload()
    # Counted from the member table (three 技师), shown, never typed.
    derived = page.get_by_label("根据成员名单自动计算")
    expect(derived).to_contain_text("工作站成员数（人）")
    expect(derived).to_contain_text("其中技师、高级技师及带头人（人）")
    expect(derived.locator("dd")).to_have_text(["3", "3"])
    expect(page.locator("#missing-fields")).not_to_contain_text("提交前还须填写")
    screenshot(page, "-01-station")


def plan_spending(page, rows):
    for index, (category, subsidy, purpose) in enumerate(rows):
        if page.locator(f"#id_budget-{index}-category").count() == 0:
            page.get_by_role("button", name="添加一行").click()
        page.select_option(f"#id_budget-{index}-category", label=category)
        page.fill(f"#id_budget-{index}-subsidy_amount", subsidy)
        page.fill(f"#id_budget-{index}-own_amount", "10")
        page.fill(f"#id_budget-{index}-purpose", purpose)
    saved(page)


@pytest.mark.browser
def test_an_applicant_fills_the_new_sections_and_the_spending_plan_must_equal_the_calls_amount(
    page, live_server, draft_without_new_sections, screenshot
):
    page.set_default_timeout(30_000)
    console_errors = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    application, applicant = draft_without_new_sections
    log_in(page, live_server, applicant)
    page.goto(f"{live_server.url}/applications/{application.public_id}/sections/unit_profile/")

    fill_station(page, screenshot)

    open_section(page, "经费使用计划")
    plan_spending(page, [("设备购置", "20", "购置检测设备"), ("师带徒培养", "9.99", "带徒津贴")])
    missing = page.locator("#missing-fields")
    expect(missing).to_contain_text(f"{REFUSAL}（现为29.99万元）")
    screenshot(page, "-02-total-refused")

    page.get_by_role("link", name="检查并提交").first.click()
    expect(page.locator("main")).to_contain_text(REFUSAL)
    expect(page.get_by_role("button", name="提交申报")).to_be_disabled()
    screenshot(page, "-03-checklist-refused")

    page.go_back()
    page.reload()
    plan_spending(page, [("设备购置", "20", "购置检测设备"), ("师带徒培养", "10", "带徒津贴")])
    expect(missing).not_to_contain_text(REFUSAL)
    expect(page.locator("#section-nav .section-tick")).to_have_count(10)
    screenshot(page, "-04-total-equal")

    page.get_by_role("link", name="检查并提交").first.click()
    page.get_by_role("button", name="提交申报").click()
    accept_confirmation(page, title="提交申报")
    status = page.locator("dt", has_text=re.compile("^状态$")).locator("xpath=following-sibling::dd[1]")
    expect(status).to_contain_text("已提交")
    screenshot(page, "-05-submitted")

    submitted = Application.objects.get(pk=application.pk)
    assert submitted.status == "submitted"
    version = submitted.versions.get().form_data
    assert version["station"]["leader_birth_month"] == "1980-01"
    assert [row["subsidy_amount"] for row in version["spending_plan"]["budget"]] == ["20.00", "10.00"]
    assert console_errors == []
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "校验通过" in out.getvalue()
