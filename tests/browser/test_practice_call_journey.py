"""The acceptance walk of issue 12: the practice call (「演示」) taken through the browser by every role in turn, from
registration to the 60% payment, as the real people would, with no clock or file tricks; each role's dashboard, with
its 待办 panel, is screenshotted into test-results/screenshots/ as the walk passes through it; ends with audit_verify.

Two applications of the same practice call, because of the 公示 rule: a 公示 cannot start before today
(`notices.services._check_publish`) and 授牌 waits until it has ended (`notices.guards.notice_closed`: after 24:00
Beijing time of its last working day), so an application published today can be designated some working days later
at the earliest. Neither rule is bent here.

On the NEW application (a workstation of a unit that registers in the walk), today, in the browser:
registration → the 申报书 filled and submitted → county 资格初审 → both city bodies 资格复核 → the administrator forms
the panel and assigns the call's three experts → each expert scores (提交评分 confirmed in the modal) → ranking and
拟授牌名单 (confirmed in the modal) → the consulted departments answer 征求意见 → the administrator publishes the
公示 from today → the public reads it. It stays 公示中: the award page does not offer it.

On the SEEDED application (a training base of the demo unit 晋城市现代职业技术学校): the fixture took it, through the
demo's own services with past `at=` times (`awards.demo.publish_practice_units`, as `seed_demo` does), from
submission through 初审, 复核, experts, 拟授牌 and 征求意见 to a 公示 published 22 days ago, which has ended; it is not
awarded. (`seed_demo` leaves the same state on 高平市职业教育中心; the fixture does not run the whole practice demo,
whose workstation list is already determined, so that the new workstation can still be ranked and proposed.)
From there, today, in the browser: the administrator saves the 命名文件 and awards it (授牌) → records the
40% 启动经费 from the ledger → the unit files its progress report for each construction year (the practice call's
period ran from 1 January last year to a few days ago, `calls.editing.practice_document`) → the administrator
accepts them → the unit applies for 评估验收 with its self-evaluation → the administrator assigns the call's three
acceptance experts → each expert scores → the administrator confirms the result (passed) → and records the 60%
(验收合格后拨付经费), which fell due with the passed acceptance.
"""

import datetime
import io
import re
from decimal import ROUND_FLOOR, Decimal

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from shenbao.acceptance.models import AcceptanceEvaluation, ExpertReview, ProgressReport
from shenbao.accounts.demo import seed_demo
from shenbao.accounts.models import User
from shenbao.applications.models import Application
from shenbao.awards.demo import AWAITING_AWARD, SELECTED, publish_practice_units
from shenbao.calls.demo import ensure_practice_call
from shenbao.calls.models import RubricItem
from shenbao.calls.periods import construction_years
from shenbao.calls.services import load_call_file
from shenbao.experts.demo import seed_experts
from shenbao.experts.models import Assignment
from shenbao.funding.models import FundingInstalment, LedgerEntry
from shenbao.opinions.models import OpinionRequest
from shenbao.opinions.rules import may_answer_for
from shenbao.organisations.reference import load_reference_file
from tests.acceptance.builders import full_marks
from tests.browser.construction import (
    accept_report,
    apply_for_acceptance,
    assign_acceptance_experts,
    complete_report,
    decide_acceptance,
    record_payment,
    score_acceptance,
    start_report,
    upload_evidence,
)
from tests.browser.dialogs import accept_confirmation
from tests.browser.navigation import open_menu_entry
from tests.browser.test_applicant_journey import (
    BASE,
    UNIT_NAME,
    fill,
    fill_cooperation,
    fill_members,
    fill_mentoring,
    fill_operation,
    fill_research,
    fill_spending_plan,
    fill_station,
    fill_talent_system,
    fill_unit_profile,
    register_unit,
    start_workstation_application,
    submit,
    upload_materials,
)
from tests.browser.test_review_journey import (
    city_body_passes,
    log_in,
    open_from_review_menu,
    status_of,
    upload_sealed_opinion,
)

RECOMMENDATION = "经初审，该单位符合申报条件，同意推荐。"


@pytest.fixture
def practice_call(transactional_db, settings):
    """Reference data, the deployment's call, the demo users and expert pool, and the practice call copied from the
    call with dates relative to today (the same service `seed_demo` uses); shown publicly, as in the demo profile.
    Returns (the practice call, its seeded training base whose 公示 has ended, not yet awarded)."""
    settings.SHENBAO_SHOW_PRACTICE_CALLS = True
    load_reference_file(path=BASE / "data" / "reference" / "jincheng.yaml")
    source = load_call_file(path=BASE / "calls" / "jincheng-2022.yaml")
    seed_demo(password=django_settings.SHENBAO_DEMO_PASSWORD)
    seed_experts()
    admin = User.objects.get(username="skills_admin")
    call, _created = ensure_practice_call(source=source, actor=admin)
    # The demo's own service takes the training bases through their 公示, published 22 days ago: it has ended,
    # 授牌 waits for the administrator (see the module docstring).
    training_bases = [unit for unit in SELECTED if unit[1] == "training_base" and unit[0] not in AWAITING_AWARD]
    publish_practice_units(call=call, admin=admin, today=timezone.localdate(), units=training_bases)
    seeded = Application.objects.select_related("call", "unit", "project_type").get(call=call, status="in_notice")
    return call, seeded


def reload(application):
    # The status is guarded by django-fsm (no refresh_from_db): read the row again.
    return Application.objects.select_related("unit", "project_type").get(pk=application.pk)


def as_user(page, live_server, username, screenshot, suffix, todo=None):
    """Log in as a demo user; the dashboard's 待办 panel (with `todo` among its items) is screenshotted."""
    log_in(page, live_server, User.objects.get(username=username), django_settings.SHENBAO_DEMO_PASSWORD)
    panel = page.get_by_role("region", name="待办")
    expect(panel).to_be_visible()
    if todo is not None:
        expect(panel.get_by_role("listitem").filter(has_text=todo)).to_be_visible()
    screenshot(page, f"-dashboard-{suffix}")


def fill_station_plan(page, years):
    """The 建站设想 section, its topics in the practice call's own construction years."""
    fill(
        page,
        {
            "id_structure": "设站长1名、副站长2名，下设培训组、攻关组。",
            "id_duties": "站长统筹，副站长分管培训和攻关，成员按专长承担课题。",
            "id_rules": "制定工作站例会、课题管理、经费使用和考核制度。",
            "id_committed_funding": "50.00",
            "id_site_area": "320.5",
            "id_equipment-0-name": "五轴联动加工中心",
            "id_equipment-0-model": "DMU 65",
            "id_equipment-0-quantity": "1",
            "id_equipment-0-value": "280.00",
            "id_equipment-0-advancement": "五轴联动，国内领先",
        },
    )
    page.locator("#id_equipment-0-is_advanced").check()
    topics = zip(years, ("师带徒", "技术攻关"), ("数控车工技师培养", "壳体变形控制"), strict=False)
    for index, (year, kind, title) in enumerate(topics):
        fill(
            page,
            {
                f"id_topics-{index}-year": ("select", f"{year}年"),
                f"id_topics-{index}-kind": ("select", kind),
                f"id_topics-{index}-title": title,
                f"id_topics-{index}-leader": "王建国",
                f"id_topics-{index}-due": f"{year}-11-30",
                f"id_topics-{index}-goal": "按期完成并形成书面成果",
            },
        )
    page.get_by_role("button", name="保存并填写下一部分").click()
    fill_spending_plan(page)


def applicant_registers_and_submits(page, live_server, call, tmp_path, screenshot):
    register_unit(page, live_server, screenshot)
    start_workstation_application(page, live_server, call)
    fill_unit_profile(page)
    fill_station(page)
    fill_members(page, screenshot)
    fill_talent_system(page)
    fill_mentoring(page)
    fill_cooperation(page)
    fill_research(page)
    fill_operation(page)
    project_type = call.project_types.get(code="workstation")
    years = range(project_type.construction_start.year, project_type.construction_end.year + 1)
    fill_station_plan(page, list(years))
    upload_materials(page, tmp_path, screenshot)
    submit(page, screenshot)
    return Application.objects.select_related("unit", "project_type").get(call=call, unit__name=UNIT_NAME)


def county_passes(page, live_server, application, screenshot):
    as_user(page, live_server, "county_qinshui", screenshot, "county")
    open_from_review_menu(page, application.number)
    expect(page.get_by_role("heading", level=1)).to_contain_text("资格初审")
    upload_sealed_opinion(page)
    judgements = page.locator("input[id^='judgement-'][id$='-met']")
    for index in range(judgements.count()):
        judgements.nth(index).check()
    page.fill("#id_recommendation", RECOMMENDATION)
    page.get_by_role("button", name="初审通过").click()
    expect(status_of(page)).to_contain_text("初审通过，待资格复核")


def administrator_forms_the_panel(page, live_server, screenshot):
    as_user(page, live_server, "skills_admin", screenshot, "administrator")
    open_menu_entry(page, "专家评审")
    page.get_by_label("项目类别").select_option(label="市级技师工作站")
    page.get_by_label("每项申报评审专家数").fill("3")
    # As in the demo's own panels: two of the pool's three experts work at city level, like the city-direct units.
    page.get_by_label("回避同县（市、区）专家").uncheck()
    page.get_by_role("button", name="组建").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("评审专家组")
    page.get_by_label("选择专家").select_option(index=[0, 1, 2])
    page.get_by_role("button", name="添加成员").click()
    page.get_by_role("button", name="自动分配专家").click()
    expect(page.locator(".alert-success")).to_contain_text("新分配3人次")


def expert_scores(page, live_server, username, application, points, screenshot):
    as_user(page, live_server, username, screenshot, username, todo="份评分表待提交")
    open_menu_entry(page, "评审任务")
    page.get_by_role("link", name=f"查阅材料 {application.number}").click()
    page.get_by_role("link", name="填写评分表").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("专家评分表")
    for code, value in points.items():
        page.fill(f"#id_points-{code}", value)
    page.get_by_label("总体评价意见").fill("基础扎实，建站方案可行，同意推荐。")
    page.get_by_role("button", name="提交评分").click()
    accept_confirmation(page, title="提交评分表")
    expect(page.locator("main")).to_contain_text("评分表已提交并锁定")


def expert_points(project_type, share):
    items = RubricItem.objects.filter(project_type=project_type, rubric=RubricItem.Rubric.SELECTION)
    step = project_type.score_step
    return {
        item.code: str((item.max_points * share / step).to_integral_value(rounding=ROUND_FLOOR) * step)
        for item in items
    }


def administrator_proposes(page, live_server, application, screenshot):
    log_in(page, live_server, User.objects.get(username="skills_admin"), django_settings.SHENBAO_DEMO_PASSWORD)
    open_menu_entry(page, "评审排名")
    expect(page.locator("table.ranking-table tbody tr", has_text=application.unit.name)).to_be_visible()
    page.get_by_label("拟授牌数量").fill("1")
    page.get_by_label("征求意见反馈截止日期").fill((timezone.localdate() + datetime.timedelta(days=7)).isoformat())
    screenshot(page, "-ranking")
    page.get_by_role("button", name="确定拟授牌名单").click()
    accept_confirmation(page, title="确定拟授牌名单")
    expect(page.locator(".alert-success").first).to_be_visible()
    assert reload(application).status == "soliciting"


def departments_answer(page, live_server, application, screenshot):
    requests = OpinionRequest.objects.filter(application=application).select_related("department", "application")
    assert requests.exists()
    for opinion_request in requests.order_by("pk"):
        users = User.objects.filter(organisation=opinion_request.department, is_active=True).order_by("pk")
        user = next(user for user in users if may_answer_for(user, opinion_request))
        as_user(page, live_server, user.username, screenshot, f"consulted-{user.username}", todo="征求意见待回复")
        entry = page.get_by_role("navigation", name="主导航").get_by_role(
            "link", name="征求意见", exact=True, include_hidden=True
        )
        if entry.count():
            open_menu_entry(page, "征求意见")
        else:
            # A county bureau asked about its unit has no menu entry yet (issue 12, item 3): its inbox by address.
            page.goto(live_server.url + "/opinions/inbox/")
        page.get_by_role("link", name=application.unit.name).click()
        page.get_by_label("无异议").check()
        page.get_by_role("button", name="提交意见").click()
        expect(page.locator(".alert-success")).to_be_visible()


def administrator_publishes_the_notice(page, live_server, call, screenshot):
    log_in(page, live_server, User.objects.get(username="skills_admin"), django_settings.SHENBAO_DEMO_PASSWORD)
    open_menu_entry(page, "公示")
    page.get_by_role("link", name="发布公示").click()
    select = page.get_by_label("申报通知")
    select.select_option(value=call.slug)
    page.get_by_label("公示标题").fill(f"{call.title}拟授牌单位公示")
    page.get_by_label("公示开始日期").fill(timezone.localdate().isoformat())
    page.get_by_label("异议受理联系人").fill(call.contact_name)
    page.get_by_label("异议受理电话").fill(call.contact_phone)
    page.get_by_label("书面异议送达地址").fill(call.submission_address or "市人社局技能办")
    page.get_by_role("button", name="计算公示期并预览").click()
    page.get_by_role("button", name="确认发布").click()


def scored_experts(application):
    """The experts the panel assigned to `application`, in the order they are asked to log in."""
    assignments = Assignment.objects.filter(application=application, status=Assignment.Status.ACTIVE)
    return list(assignments.order_by("expert__username").values_list("expert__username", flat=True))


def administrator_awards(page, live_server, new_application, seeded, screenshot):
    """授牌 of the seeded unit, whose 公示 has ended; the new application's 公示 (from today) keeps it off the list."""
    as_user(page, live_server, "skills_admin", screenshot, "administrator-award", todo="家单位公示期满，待授牌")
    open_menu_entry(page, "授牌")
    candidates = page.get_by_role("table", name="公示期满待授牌的单位")
    expect(candidates).to_contain_text(seeded.number)
    expect(candidates).not_to_contain_text(new_application.number)
    page.get_by_label("文号").fill(f"演示〔{seeded.call.year}〕2号")
    page.get_by_label("发文日期").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="保存命名文件").click()
    page.get_by_label(f"为{seeded.unit.name}授牌").check()
    page.get_by_role("button", name="授牌", exact=True).click()
    expect(page.get_by_role("table", name="公示期满待授牌的单位")).not_to_contain_text(seeded.number)
    screenshot(page, "-awarded")
    assert reload(seeded).status == "awarded"
    assert reload(new_application).status == "in_notice"


def instalment(application, code):
    return FundingInstalment.objects.get(record__application=application, code=code)


def pay(page, application, code, voucher, screenshot):
    due = instalment(application, code)
    record_payment(page, application.number, due.amount, voucher)
    expect(page.locator("main")).to_contain_text(re.compile(f"已录入拨付[：：]{due.name}"))
    screenshot(page, f"-payment-{code}")


def unit_reports_its_years(page, live_server, seeded, tmp_path, screenshot):
    evidence = tmp_path / "佐证材料.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")
    applicant = seeded.unit.users.get(username__startswith="applicant_")
    as_user(page, live_server, applicant.username, screenshot, "unit-reports", todo="份年度进展报告待报送")
    years = construction_years(seeded.project_type)
    for year in years:
        start_report(page, seeded.unit.name, year)
        upload_evidence(page, evidence)
        complete_report(page, year)
    as_user(page, live_server, "skills_admin", screenshot, "administrator-reports", todo="份年度进展报告待审核")
    for year in years:
        accept_report(page, seeded.unit.name, year)
    assert ProgressReport.objects.filter(application=seeded, status="accepted").count() == len(years)
    return applicant, evidence


def acceptance_is_evaluated(page, live_server, seeded, applicant, evidence, screenshot):
    """The unit applies (自评), the administrator assigns the call's number of experts, each scores, the result."""
    scores = {item: points - 1 for item, points in full_marks(seeded).items()}
    as_user(page, live_server, applicant.username, screenshot, "unit-acceptance")
    apply_for_acceptance(page, seeded.unit.name, scores, evidence)
    as_user(page, live_server, "skills_admin", screenshot, "administrator-acceptance", todo="项评估验收待指派专家")
    count = seeded.call.acceptance_experts_per_application
    assign_acceptance_experts(page, seeded.unit.name, count=count)
    reviews = ExpertReview.objects.filter(evaluation__application=seeded).order_by("expert__username")
    usernames = list(reviews.values_list("expert__username", flat=True))
    assert len(usernames) == count
    for username in usernames:
        as_user(page, live_server, username, screenshot, f"{username}-acceptance", todo="份验收评分表待提交")
        score_acceptance(page, seeded.unit.name, scores)
    as_user(page, live_server, "skills_admin", screenshot, "administrator-decides", todo="待出结论")
    decide_acceptance(page, seeded.unit.name, "建设任务全部完成，同意通过验收。", expected="验收得分为")
    screenshot(page, "-acceptance-decided")
    assert AcceptanceEvaluation.objects.get(application=seeded).passed


@pytest.mark.browser
def test_the_practice_call_from_registration_through_every_role(live_server, page, practice_call, tmp_path, screenshot):
    page.set_default_timeout(30_000)
    call, seeded = practice_call

    # --- The new unit's application: registration → 公示 (today).
    application = applicant_registers_and_submits(page, live_server, call, tmp_path, screenshot)
    page.goto(live_server.url + "/dashboard/")
    screenshot(page, "-dashboard-applicant")
    assert re.match(r"YS\d{4}-", application.number)

    county_passes(page, live_server, application, screenshot)
    password = django_settings.SHENBAO_DEMO_PASSWORD
    for index, username in enumerate(("city_org", "city_hrss")):
        reviewer = User.objects.get(username=username)
        as_user(page, live_server, username, screenshot, username, todo="件待复核")
        city_body_passes(page, live_server, reviewer, password, application, screenshot, f"-recheck-{index}")
    application = reload(application)
    assert application.status == "expert_review"

    administrator_forms_the_panel(page, live_server, screenshot)
    experts = scored_experts(application)
    assert len(experts) == call.experts_per_application
    for username, share in zip(experts, ("0.90", "0.85", "0.80"), strict=True):
        points = expert_points(application.project_type, Decimal(share))
        expert_scores(page, live_server, username, application, points, screenshot)

    administrator_proposes(page, live_server, application, screenshot)
    departments_answer(page, live_server, application, screenshot)
    administrator_publishes_the_notice(page, live_server, call, screenshot)
    application = reload(application)
    assert application.status == "in_notice"

    # Anyone can read the 公示 (and object to it) from the public page.
    page.context.clear_cookies()
    page.goto(live_server.url + "/notices/public/")
    page.get_by_role("link", name=re.compile("拟授牌单位公示")).first.click()
    expect(page.locator("main")).to_contain_text(application.unit.name)
    screenshot(page, "-public-notice")

    # --- The seeded application, whose 公示 ended days ago (see the module docstring): 授牌 → 60%.
    administrator_awards(page, live_server, application, seeded, screenshot)
    as_user(page, live_server, "skills_admin", screenshot, "administrator-payment", todo="笔建设扶持经费待拨付")
    pay(page, seeded, "startup", "YS-记-0001", screenshot)

    applicant, evidence = unit_reports_its_years(page, live_server, seeded, tmp_path, screenshot)
    acceptance_is_evaluated(page, live_server, seeded, applicant, evidence, screenshot)

    as_user(page, live_server, "skills_admin", screenshot, "administrator-final", todo="笔建设扶持经费待拨付")
    pay(page, seeded, "final", "YS-记-0002", screenshot)
    paid = LedgerEntry.objects.filter(record__application=seeded, kind=LedgerEntry.Kind.PAYMENT)
    assert sorted(paid.values_list("instalment__code", flat=True)) == ["final", "startup"]
    as_user(page, live_server, applicant.username, screenshot, "unit-accepted")

    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "审计记录哈希链校验通过" in out.getvalue()
