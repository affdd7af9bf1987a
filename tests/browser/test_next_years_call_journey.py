"""Next year's call without a developer (issue 17, acceptance): in a real browser the 技能办 copies the 2022 call to
2023, changes the deadline, a quota and one material and publishes; then the clerk of a unit that applied in 2022
starts its 2023 application from the 2022 one, re-enters what the copy could not carry over (the topics of the new
construction years), sees the changed material, uploads the materials and submits."""

import re

import pytest
from playwright.sync_api import expect

from shenbao.accounts.roles import Role
from shenbao.applications.models import Application, ApplicationStatus
from shenbao.calls.models import Call
from shenbao.organisations.models import Region, UnitType
from tests.applications.reuse_helpers import copy_in_browser, make_earlier_application
from tests.browser.dialogs import accept_confirmation
from tests.browser.test_applicant_journey import upload_required_workstation_materials
from tests.browser.test_call_editor_journey import log_in, publish_next_years_call
from tests.factories import OrganisationFactory, UserFactory


@pytest.fixture
def unit_of_2022(call_2022):
    unit = OrganisationFactory(
        name="晋城市泰丰精密机械有限公司",
        unit_type=UnitType.objects.get(code="enterprise"),
        region=Region.objects.get(key="140502"),
    )
    clerk = UserFactory(organisation=unit, roles=[Role.APPLICANT], full_name="赵经办")
    earlier = make_earlier_application(call=call_2022, unit=unit, user=clerk, status="awarded")
    return {"unit": unit, "clerk": clerk, "earlier": earlier}


def re_enter_topics(page, years):
    """The topics of 建站设想 are year-bound: the copy leaves them to be re-entered for the new construction years."""
    page.get_by_role("navigation", name="申报书各部分").get_by_role("link", name="建站设想").click()
    heading = page.locator("main table caption, main legend, main h3").filter(has_text=f"{years[0]}—{years[-1]}年")
    expect(heading.first).to_be_visible()
    topics = zip(years, ("师带徒", "技术攻关"), ("数控车工技师培养", "壳体变形控制"), strict=True)
    for index, (year, kind, title) in enumerate(topics):
        if page.locator(f"#id_topics-{index}-year").count() == 0:
            page.get_by_role("button", name="添加一行").last.click()
        page.locator(f"#id_topics-{index}-year").select_option(label=f"{year}年")
        page.locator(f"#id_topics-{index}-kind").select_option(label=kind)
        page.locator(f"#id_topics-{index}-title").fill(title)
        page.locator(f"#id_topics-{index}-leader").fill("成员1")
        page.locator(f"#id_topics-{index}-due").fill(f"{year}-11-30")
        page.locator(f"#id_topics-{index}-goal").fill("按期完成并形成书面成果")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator("#section-nav .section-tick")).to_have_count(10)


def upload_every_required_material(page, tmp_path, changed):
    page.get_by_role("link", name="申报状态").click()
    page.get_by_role("link", name="申报材料").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("申报材料")
    # The material the 技能办 renamed is asked for under its new name.
    expect(page.locator(f"#material-{changed.material_code}")).to_contain_text(changed.material_name)
    upload_required_workstation_materials(page, tmp_path)


@pytest.mark.browser
def test_next_years_call_is_run_by_the_skills_office_and_a_unit_reuses_its_2022_application(
    page, live_server, call_2022, skills_office, unit_of_2022, tmp_path, screenshot
):
    page.set_default_timeout(30_000)
    console_errors = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))

    changed = publish_next_years_call(page, live_server, skills_office, source=call_2022, screenshot=screenshot)
    call = Call.objects.get(slug=changed.slug)
    years = [call_2022.year + 2, call_2022.year + 3]  # the copied construction period, moved by one year

    log_in(page, live_server, unit_of_2022["clerk"])
    copy_in_browser(page, live_server=live_server, call=call, source=unit_of_2022["earlier"])
    main = page.locator("main")
    expect(main).to_contain_text(f"复制自 {call_2022.year} 年申报 {unit_of_2022['earlier'].number}")
    expect(main).to_contain_text("须重新上传的材料")
    expect(main).to_contain_text(f"{years[0]}—{years[1]}年师带徒和技术攻关课题")  # to re-enter
    screenshot(page, "-01-copy-report")

    page.get_by_role("link", name="逐项核对申报书").click()
    re_enter_topics(page, years)
    upload_every_required_material(page, tmp_path, changed)
    screenshot(page, "-02-materials")

    page.get_by_role("link", name="返回申报").click()
    page.get_by_role("link", name="检查并提交").first.click()
    expect(page.locator("main")).to_contain_text("必交材料已上传齐全")
    page.get_by_role("button", name="提交申报").click()
    accept_confirmation(page, title="提交申报")
    status = page.locator("dt", has_text=re.compile("^状态$")).locator("xpath=following-sibling::dd[1]")
    expect(status).to_contain_text("已提交")
    screenshot(page, "-03-submitted")

    application = Application.objects.get(call=call, unit=unit_of_2022["unit"])
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.copied_from_id == unit_of_2022["earlier"].pk
    assert application.number.startswith(call.application_number_prefix)
    assert {row["year"] for row in application.form_data["station_plan"]["topics"]} == {str(y) for y in years}
    assert console_errors == []
