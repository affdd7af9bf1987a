"""Issue 12 point 4 in the browser: a citizen, not logged in, finds the current 公示 from the home page, opens the
objection form from it, reads a 办事指南 and asks for an application's stage; screenshots of the home page, the
service hall and a city's portal. Ends with the audit chain verified (the status query is audited)."""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from shenbao.accounts.roles import Role
from shenbao.applications.models import Application
from shenbao.applications.workflow import ApplicationStatus
from shenbao.calls.services import load_call_file
from shenbao.notices.models import PublicNotice
from shenbao.organisations.models import Region
from shenbao.organisations.reference import load_reference_file
from tests.factories import OrganisationFactory, UserFactory

BASE = Path(settings.BASE_DIR)


@pytest.fixture
def notice_in_period(transactional_db):
    """The 2022 call with one unit in a 公示 that runs now."""
    load_reference_file(path=BASE / "data" / "reference" / "jincheng.yaml")
    call = load_call_file(path=BASE / "calls" / "jincheng-2022.yaml")
    county = Region.objects.filter(parent=call.city).order_by("key").first()
    unit = OrganisationFactory(name="晋城市示范精工机械有限公司", region=county)
    application = Application.objects.create(
        number="2022-01-0001",
        call=call,
        project_type=call.project_types.get(code="workstation"),
        unit=unit,
        status=ApplicationStatus.IN_NOTICE,
        created_by=UserFactory(organisation=unit, roles=[Role.APPLICANT]),
    )
    today = timezone.localdate()
    notice = PublicNotice.objects.create(
        call=call,
        title="2022年市级技师工作站拟授牌单位公示",
        start_date=today - datetime.timedelta(days=1),
        end_date=today + datetime.timedelta(days=6),
        working_days=5,
        counting=call.notice_counting,
        contact_name=call.contact_name,
        contact_phone=call.contact_phone,
        contact_address=call.submission_address,
        published_by=UserFactory(roles=[Role.CALL_ADMIN]),
        published_at=timezone.now(),
    )
    notice.entries.create(application=application, sort_order=1)
    return notice, application


@pytest.mark.browser
def test_citizen_finds_the_notice_from_the_home_page_and_the_objection_route(
    live_server, page, notice_in_period, screenshot
):
    notice, application = notice_in_period
    page.set_default_timeout(15_000)

    page.goto(live_server.url + "/")
    tiles = page.get_by_role("navigation", name="政务服务")
    expect(tiles).to_be_visible()
    running = page.get_by_role("region", name="正在公示")
    expect(running.get_by_role("link", name=notice.title)).to_be_visible()
    expect(running.get_by_role("link", name="提出异议")).to_be_visible()
    screenshot(page, "-home")

    tiles.get_by_role("link", name=re.compile("公示公告")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("公示公告")
    row = page.get_by_role("row").filter(has_text=notice.title)
    expect(row).to_contain_text("公示中")
    expect(row.get_by_role("link", name="提出异议")).to_be_visible()
    row.get_by_role("link", name=notice.title).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(notice.title)
    expect(page.locator("main")).to_contain_text(application.unit.name)
    page.get_by_role("link", name="在线提出异议").click()
    expect(page).to_have_url(re.compile(rf"/notices/public/{notice.public_id}/objection/$"))

    # The same from any page: the header's 政务服务 menu.
    page.get_by_role("navigation", name="主导航").get_by_role("button", name="政务服务").click()
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="服务大厅").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("政务服务")
    expect(page.locator("main")).to_contain_text(notice.title)
    screenshot(page, "-service-hall")

    page.get_by_role("navigation", name="服务事项").get_by_role("link", name=re.compile("办事指南")).click()
    page.get_by_role("link", name="市级技师工作站申报指南").click()
    expect(page.get_by_role("heading", name="办理流程和时限")).to_be_visible()
    expect(page.locator("main")).to_contain_text(notice.call.contact_phone)

    page.goto(live_server.url + "/service/status/")
    page.get_by_label("申报编号").fill(application.number)
    page.get_by_label("统一社会信用代码").fill(application.unit.credit_code)
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#public-stage")).to_have_text("公示中")

    page.goto(live_server.url + "/c/jincheng/")
    expect(page.get_by_role("navigation", name="政务服务")).to_be_visible()
    screenshot(page, "-city-portal")

    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "校验通过" in out.getvalue()
