"""专家评审 in a real browser (issue 5, acceptance):

an expert logs in → opens the assigned application and reads its materials → scores every item of the call's
rubric (a refused value first: above the item's maximum) → saves a draft → submits (the sheet locks) → the call
administrator opens the ranking and sees the application ranked with the trimmed mean of the five experts.
"""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from shenbao.accounts.roles import Role
from shenbao.applications.models import Application
from shenbao.applications.services import start_application
from shenbao.applications.workflow import ApplicationStatus
from shenbao.calls.models import RubricItem
from shenbao.calls.services import load_call_file
from shenbao.experts.models import Assignment, Panel, PanelMember
from shenbao.organisations.models import Organisation, Region, UnitType
from shenbao.organisations.reference import load_reference_file
from shenbao.scoring.models import ScoreSheet
from shenbao.scoring.services import submit_sheet
from tests.applications.builders import IN_TIME, attach_required_materials, fill_sections, workstation_sections
from tests.browser.dialogs import accept_confirmation
from tests.browser.navigation import open_menu_entry
from tests.factories import OrganisationFactory, UserFactory

BASE = Path(settings.BASE_DIR)
UNIT_NAME = "晋城市城区鼎盛精密机械有限公司"
# The other four experts' totals; with ours (88) the five are 88, 90, 75, 95, 82 → trimmed mean 86.67.
OTHER_TOTALS = ((62, 28), (50, 25), (65, 30), (60, 22))
# What our expert types: material items (max 20, 10, 10, 15, 10, 5) and defence items (max 15, 15) → 62 + 26.
OUR_POINTS = {
    "leaders-team": "18.5",
    "talent-systems": "9",
    "mentoring-plan": "8.5",
    "cooperation": "13",
    "operation-support": "9",
    "advanced-facilities": "4",
    "plan-feasibility": "13.5",
    "presentation": "12.5",
}


def spread(items, total):
    points, remaining = {}, Decimal(total)
    for item in items:
        points[item.code] = {"points": str(min(item.max_points, remaining)), "comment": ""}
        remaining -= min(item.max_points, remaining)
    return points


@pytest.fixture
def scoring_world(transactional_db):
    """The real 2022 call; one complete workstation application in 专家评审; a panel of five experts, four of
    whom have already submitted their sheets."""
    load_reference_file(path=BASE / "data" / "reference" / "jincheng.yaml")
    call = load_call_file(path=BASE / "calls" / "jincheng-2022.yaml")
    project_type = call.project_types.get(code="workstation")
    unit = OrganisationFactory(
        name=UNIT_NAME, unit_type=UnitType.objects.get(code="enterprise"), region=Region.objects.get(key="140502")
    )
    applicant = UserFactory(organisation=unit, roles=[Role.APPLICANT], full_name="赵经办")
    application = start_application(call=call, project_type=project_type, unit=unit, user=applicant, at=IN_TIME)
    application = fill_sections(application=application, user=applicant, sections=workstation_sections())
    attach_required_materials(application=application, user=applicant)
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.EXPERT_REVIEW)
    admin = UserFactory(
        organisation=Organisation.objects.get(name="晋城市人力资源和社会保障局技能办"),
        roles=[Role.CALL_ADMIN],
        full_name="技能办管理员",
    )
    experts = [
        UserFactory(
            organisation=OrganisationFactory(kind=Organisation.Kind.OTHER, unit_type=None, credit_code=None),
            roles=[Role.EXPERT],
            full_name=name,
        )
        for name in ("王评审", "李评审", "张评审", "刘评审", "陈评审")
    ]
    panel = Panel.objects.create(
        call=call,
        project_type=project_type,
        name="技师工作站评审专家组",
        chair=experts[1],
        experts_per_application=5,
        created_by=admin,
    )
    items = list(RubricItem.objects.filter(project_type=project_type, rubric="selection").order_by("sort_order"))
    assignments = []
    for expert in experts:
        PanelMember.objects.create(panel=panel, expert=expert)
        assignments.append(
            Assignment.objects.create(panel=panel, application=application, expert=expert, assigned_at=timezone.now())
        )
    for assignment, (material, defence) in zip(assignments[1:], OTHER_TOTALS, strict=True):
        scores = spread([item for item in items if item.group == "material"], material)
        scores |= spread([item for item in items if item.group == "defence"], defence)
        submit_sheet(assignment=assignment, expert=assignment.expert, scores=scores, overall_opinion="同意推荐。")
    return {"application": Application.objects.get(pk=application.pk), "expert": experts[0], "admin": admin}


def log_in(page, live_server, user, password):
    page.context.clear_cookies()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.locator("form:has(#id_password) [type=submit]").click()
    expect(page).to_have_url(live_server.url + "/dashboard/")


def expert_scores_and_submits(page, live_server, expert, password, application, screenshot):
    log_in(page, live_server, expert, password)
    open_menu_entry(page, "评审任务")
    expect(page.get_by_role("heading", level=1)).to_have_text("评审任务")
    expect(page.locator("main")).to_contain_text(UNIT_NAME)
    screenshot(page, "-01-assignments")

    page.get_by_role("link", name=f"查阅材料 {application.number}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(UNIT_NAME)
    expect(page.locator("main")).to_contain_text("本单位是一家装备制造企业")
    expect(page.get_by_role("link", name="business-licence.pdf")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="business-licence.pdf").click()
    assert download.value.suggested_filename == "business-licence.pdf"
    screenshot(page, "-02-application")

    page.get_by_role("link", name="填写评分表").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("专家评分表")
    page.get_by_label("领办人及团队", exact=True).fill("20.5")  # above the item's maximum (20)
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("main")).to_contain_text("「领办人及团队」的得分不能超过20分。")
    screenshot(page, "-03-refused")

    for code, points in OUR_POINTS.items():
        page.fill(f"#id_points-{code}", points)
    page.fill("#id_comment-leaders-team", "技师、高级技师梯队完整。")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("main")).to_contain_text("已保存草稿")
    expect(page.locator("#sheet-total")).to_have_text("88.00")

    page.get_by_label("总体评价意见").fill("基础扎实，建站方案可行，同意推荐。")
    screenshot(page, "-04-filled")
    page.get_by_role("button", name="提交评分").click()
    accept_confirmation(page, title="提交评分表")
    expect(page.locator("main")).to_contain_text("评分表已提交并锁定")
    expect(page.get_by_role("button", name="提交评分")).to_have_count(0)
    expect(page.get_by_label("领办人及团队", exact=True)).to_be_disabled()
    expect(page.get_by_role("link", name="打印评分表（PDF）")).to_be_visible()
    screenshot(page, "-05-submitted")


def administrator_sees_the_ranking(page, live_server, admin, password, application, screenshot):
    log_in(page, live_server, admin, password)
    open_menu_entry(page, "评审排名")
    expect(page.get_by_role("heading", level=1)).to_have_text("评审排名")
    row = page.locator("table.ranking-table tbody tr", has_text=UNIT_NAME)
    expect(row).to_contain_text("86.67")  # 88, 90, 75, 95, 82 without the highest and the lowest
    expect(row.locator("td").first).to_have_text("1")
    expect(page.locator("main")).to_contain_text("确定拟授牌名单")
    screenshot(page, "-06-ranking")
    open_menu_entry(page, "评审进度")
    page.get_by_role("link", name="技师工作站评审专家组").click()
    expect(page.locator("table.progress-matrix")).to_contain_text("5 / 5")
    screenshot(page, "-07-progress")


@pytest.mark.browser
def test_an_expert_scores_and_submits_and_the_administrator_sees_the_ranking(
    live_server, page, scoring_world, password, screenshot
):
    page.set_default_timeout(30_000)
    console_errors = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    application = scoring_world["application"]

    expert_scores_and_submits(page, live_server, scoring_world["expert"], password, application, screenshot)
    administrator_sees_the_ranking(page, live_server, scoring_world["admin"], password, application, screenshot)

    sheet = ScoreSheet.objects.get(assignment__expert=scoring_world["expert"])
    assert (sheet.status, sheet.total) == ("submitted", Decimal("88.00"))
    assert sheet.entries.get(rubric_item__code="leaders-team").comment == "技师、高级技师梯队完整。"
    assert sheet.submitted_at <= timezone.now() + datetime.timedelta(seconds=1)
    assert console_errors == []
