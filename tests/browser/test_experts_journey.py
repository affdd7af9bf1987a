"""专家库, 专家组 and 答辩安排 in a real browser (issue 5 items 1, 2, 4):

the call administrator adds an expert on the page, forms the workstation panel, adds members and lets the
system assign → an expert declares 回避 on the assignment page and is replaced → the administrator sees the
replacement, schedules a defence session, generates the slots and notifies → the applicant sees its slot.
"""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from shenbao.accounts.roles import Role
from shenbao.accounts.services import set_password
from shenbao.applications.models import Application
from shenbao.applications.workflow import ApplicationStatus
from shenbao.calls.services import load_call_file
from shenbao.experts.models import Assignment
from shenbao.experts.services import create_expert
from shenbao.organisations.models import Organisation, Region, UnitType
from shenbao.organisations.reference import load_reference_file
from tests.browser.navigation import open_menu_entry
from tests.factories import OrganisationFactory, UserFactory

BASE = Path(settings.BASE_DIR)
UNIT_NAME = "晋城市城区专家测试机械有限公司"


@pytest.fixture
def scene(transactional_db, password):
    load_reference_file(path=BASE / "data" / "reference" / "jincheng.yaml")
    call = load_call_file(path=BASE / "calls" / "jincheng-2022.yaml")
    # This journey's call asks two experts per application (the panel may not ask fewer than its call).
    type(call).objects.filter(pk=call.pk).update(experts_per_application=2)
    admin = UserFactory(
        organisation=Organisation.objects.get(name="晋城市人力资源和社会保障局技能办"),
        roles=[Role.CALL_ADMIN],
        full_name="郭管理",
    )
    unit = OrganisationFactory(
        name=UNIT_NAME, unit_type=UnitType.objects.get(code="enterprise"), region=Region.objects.get(key="140502")
    )
    applicant = UserFactory(organisation=unit, roles=[Role.APPLICANT], full_name="周经办")
    application = Application.objects.create(
        number="GZZ2022-0001",
        call=call,
        project_type=call.project_types.get(code="workstation"),
        unit=unit,
        status=ApplicationStatus.EXPERT_REVIEW,
        created_by=applicant,
    )
    experts = []
    for name, county in (("甲专家", "140521"), ("乙专家", "140522"), ("丙专家", "140524")):
        profile = create_expert(
            actor=admin,
            full_name=name,
            work_unit_name=f"{name}所在研究院",
            region=Region.objects.get(key=county),
            title="高级技师",
            specialties="电工",
        )
        set_password(user=profile.user, password=password)
        experts.append(profile)
    return {"admin": admin, "applicant": applicant, "application": application, "experts": experts}


def log_in(page, live_server, user, password):
    page.context.clear_cookies()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.locator("form:has(#id_password) [type=submit]").click()
    expect(page).to_have_url(live_server.url + "/dashboard/")


def menu(page, label):
    open_menu_entry(page, label)


def test_pool_panel_recusal_and_defence_schedule(page, live_server, scene, password, screenshot):
    admin, applicant = scene["admin"], scene["applicant"]

    # The administrator adds a fourth expert on the page.
    log_in(page, live_server, admin, password)
    menu(page, "专家库")
    page.get_by_role("link", name="新增专家").click()
    page.get_by_label("姓名").fill("丁专家")
    page.get_by_label("工作单位").fill("陵川县丁专家研究所")
    page.get_by_label("所在县（市、区）").select_option(label="陵川县")
    page.get_by_label("联系电话").fill("13935608888")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("丁专家")
    menu(page, "专家库")
    expect(page.get_by_role("table")).to_contain_text("13935608888")
    screenshot(page, "-pool")

    # The workstation panel: formed, members added, experts assigned (two per application for this test).
    menu(page, "专家评审")
    page.get_by_label("项目类别").select_option(label="市级技师工作站")
    page.get_by_label("每项申报评审专家数").fill("2")
    page.get_by_role("button", name="组建").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("评审专家组")
    page.get_by_label("选择专家").select_option(index=[0, 1, 2, 3])
    page.get_by_role("button", name="添加成员").click()
    page.get_by_role("button", name="自动分配专家").click()
    expect(page.locator(".alert-success")).to_contain_text("新分配2人次")
    screenshot(page, "-panel")

    # The first assigned expert declares 回避 and is replaced automatically.
    assignment = Assignment.objects.filter(application=scene["application"]).order_by("pk").first()
    log_in(page, live_server, assignment.expert, password)
    menu(page, "评审任务")
    expect(page.get_by_role("table")).to_contain_text(UNIT_NAME)
    page.get_by_role("link", name=f"申请回避 {UNIT_NAME}").click()
    page.get_by_label("原因").fill("本人亲属在该单位任职。")
    page.get_by_role("button", name="确认回避").click()
    expect(page.locator(".alert-success")).to_contain_text("已申请回避")
    expect(page.get_by_role("table")).not_to_contain_text(UNIT_NAME)
    screenshot(page, "-recused")

    # The administrator sees the recusal and its replacement, then schedules the defence.
    log_in(page, live_server, admin, password)
    menu(page, "专家评审")
    page.get_by_role("link", name="2022年市级技师工作站评审专家组").click()
    expect(page.locator("table").filter(has_text="回避与更换")).to_contain_text("已回避（本人亲属在该单位任职。）")
    assert Assignment.objects.filter(application=scene["application"], status="active").count() == 2
    page.get_by_role("link", name="新建答辩场次").click()
    page.get_by_label("答辩日期").fill((datetime.date.today() + datetime.timedelta(days=7)).isoformat())
    page.get_by_label("开始时间").fill("09:00")
    page.get_by_label("答辩地点").fill("晋城市人社局三楼会议室")
    page.get_by_role("button", name="创建").click()
    page.get_by_role("button", name="生成答辩时段").click()
    expect(page.get_by_role("table")).to_contain_text("09:00—09:15")
    page.get_by_role("button", name="通知申报单位").click()
    expect(page.locator(".alert-success")).to_contain_text("已通知1个申报单位")
    page.get_by_role("link", name="打印安排表").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("答辩安排表")
    screenshot(page, "-schedule")

    # The applicant reads its slot.
    log_in(page, live_server, applicant, password)
    menu(page, "答辩安排")
    expect(page.get_by_role("table")).to_contain_text("晋城市人社局三楼会议室")
    expect(page.get_by_role("table")).to_contain_text("09:00—09:15")
    screenshot(page, "-applicant")
