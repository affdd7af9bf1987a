"""资格初审 and 资格复核 in a real browser (issue 4, acceptance):

a county reviewer returns an application with a reason and a due date → the applicant reads the reason on the
status page, edits and resubmits → the county reviewer passes it with the checklist → 市人社局 and 市委组织部 each
pass it → the application stands at 复核通过,待专家评审.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shenbao.accounts.roles import Role
from shenbao.applications.models import Application
from shenbao.organisations.models import Organisation
from shenbao.review.models import FirstReviewRecord, RecheckDecision
from tests.applications.material_files import pdf_bytes
from tests.browser.dialogs import accept_confirmation
from tests.browser.navigation import open_menu_entry
from tests.factories import UserFactory

REASON = "请补充第3名技师的职业资格证书，并说明工作站场地面积。"
APPLICABLE_RULES = ("qualified-members", "talent-systems", "cooperation", "operation-support", "advanced-facilities")


def staff(name, role, full_name):
    return UserFactory(organisation=Organisation.objects.get(name=name), roles=[role], full_name=full_name)


def log_in(page, live_server, user, password):
    page.context.clear_cookies()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.locator("form:has(#id_password) [type=submit]").click()
    expect(page).to_have_url(live_server.url + "/dashboard/")


def status_of(page):
    return page.locator("dt", has_text=re.compile("^状态$")).locator("xpath=following-sibling::dd[1]")


def open_from_review_menu(page, number):
    open_menu_entry(page, "资格审核")
    page.get_by_role("link", name=number).click()


def county_returns(page, live_server, reviewer, password, application, due, screenshot):
    log_in(page, live_server, reviewer, password)
    open_from_review_menu(page, application.number)
    expect(page.get_by_role("heading", level=1)).to_contain_text("资格初审")
    expect(page.locator("table.checklist")).to_contain_text("系统校验：符合")
    page.fill("#id_comment", REASON)
    page.fill("#id_resubmission_due", due.isoformat())
    screenshot(page, "-01-return")
    page.get_by_role("button", name="退回修改", exact=True).click()
    expect(status_of(page)).to_contain_text("退回修改")


def applicant_revises_and_resubmits(page, live_server, applicant, password, application, due, screenshot):
    log_in(page, live_server, applicant, password)
    page.goto(live_server.url + f"/applications/{application.public_id}/")
    expect(page.locator("main")).to_contain_text(REASON)
    expect(page.locator("main")).to_contain_text(f"补正截止日期：{due.year}年{due.month}月{due.day}日")
    expect(page.locator(".progress-step.step-current")).to_have_text(re.compile("资格初审"))
    screenshot(page, "-02-applicant-sees-reason")
    page.get_by_role("link", name="填写申报书").click()
    page.fill("#id_overview", "本公司是一家装备制造企业，工作站场地面积260平方米，已补充第3名技师的证书。")
    page.get_by_role("button", name="保存", exact=True).click()
    page.get_by_role("link", name="申报状态").click()
    page.get_by_role("link", name="检查并提交").first.click()
    page.get_by_role("button", name="修改后重新提交").click()
    accept_confirmation(page, title="修改后重新提交")
    expect(status_of(page)).to_contain_text("已提交，待资格初审")
    screenshot(page, "-03-resubmitted")


def upload_sealed_opinion(page):
    """The body's sealed opinion (a scan), uploaded from the checklist page before judging (the upload reloads it)."""
    page.get_by_label("加盖公章的初审意见扫描件（PDF或图片）").set_input_files(
        {"name": "初审意见.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    page.get_by_role("button", name="上传", exact=True).click()
    expect(page.locator("main")).to_contain_text("本版本已上传")


def county_passes(page, live_server, reviewer, password, application, screenshot):
    log_in(page, live_server, reviewer, password)
    open_from_review_menu(page, application.number)
    upload_sealed_opinion(page)
    for code in APPLICABLE_RULES:
        page.locator(f"#judgement-{code}-met").check()
    materials = page.locator("input[id^='judgement-material'][id$='-met']")  # every material, item by item
    for index in range(materials.count()):
        materials.nth(index).check()
    page.fill("#note-cooperation", "与晋城技师学院签有合作协议")
    page.fill("#id_recommendation", "经初审，该单位符合申报条件，同意推荐。")
    screenshot(page, "-04-checklist")
    page.get_by_role("button", name="初审通过").click()
    expect(status_of(page)).to_contain_text("初审通过，待资格复核")


def city_body_passes(page, live_server, reviewer, password, application, screenshot, suffix):
    log_in(page, live_server, reviewer, password)
    open_from_review_menu(page, application.number)
    expect(page.locator("main")).to_contain_text("经初审，该单位符合申报条件，同意推荐。")
    page.get_by_label("通过", exact=True).check()
    page.fill("#id_comment", "同意。")
    screenshot(page, suffix)
    page.get_by_role("button", name="提交复核决定").click()
    expect(page.locator("main")).to_contain_text("本单位已对本轮复核作出决定")


@pytest.mark.browser
def test_returned_resubmitted_and_passed_through_both_reviews(
    live_server, page, submitted_application, password, screenshot
):
    page.set_default_timeout(30_000)
    console_errors = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    application = submitted_application
    applicant = application.created_by
    county = staff("晋城市城区人力资源和社会保障局", Role.COUNTY_REVIEWER, "城区初审员")
    hr = staff("晋城市人力资源和社会保障局", Role.CITY_REVIEWER, "市人社局复核员")
    org = staff("中共晋城市委组织部", Role.CITY_REVIEWER, "组织部复核员")
    due = timezone.localdate() + datetime.timedelta(days=7)

    county_returns(page, live_server, county, password, application, due, screenshot)
    applicant_revises_and_resubmits(page, live_server, applicant, password, application, due, screenshot)
    county_passes(page, live_server, county, password, application, screenshot)
    city_body_passes(page, live_server, hr, password, application, screenshot, "-05-recheck-hr")
    expect(page.locator("main")).to_contain_text("初审通过，待资格复核")  # one body is not enough
    city_body_passes(page, live_server, org, password, application, screenshot, "-06-recheck-org")
    expect(page.locator("main")).to_contain_text("晋城市人力资源和社会保障局")  # sees the other body's decision
    expect(status_of(page)).to_contain_text("复核通过，待专家评审")

    log_in(page, live_server, applicant, password)
    page.goto(live_server.url + f"/applications/{application.public_id}/")
    expect(status_of(page)).to_contain_text("复核通过，待专家评审")
    expect(page.locator(".progress-step.step-current")).to_have_text(re.compile("专家评审"))
    screenshot(page, "-07-applicant-status")

    application = Application.objects.get(pk=application.pk)
    assert application.status == "expert_review"
    assert list(FirstReviewRecord.objects.order_by("pk").values_list("decision", "version_sequence")) == [
        ("return", 1),
        ("pass", 2),
    ]
    assert RecheckDecision.objects.filter(round=2, decision="pass").count() == 2
    assert console_errors == []
