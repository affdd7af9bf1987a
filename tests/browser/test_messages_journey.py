"""Messages in a real browser (issue 15, point 5): the 技能办 rewrites the 「退回修改」 notification (a refused
placeholder named, then a preview with sample data, then saved), the county reviewer's return of an application is
told in those words — inbox, e-mail and SMS — and the 技能办 sends a bulk message to every unit with a returned
application, which arrives in the applicant's inbox, the e-mail outbox and the SMS fake; the log shows the number
masked. Ends with `audit_verify` (the browser tests' autouse check)."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shenbao.accounts.roles import Role
from shenbao.applications.services import fire_transition
from shenbao.core import sms
from shenbao.notifications.models import Notification, OutgoingEmail, OutgoingSms
from tests.browser.test_review_journey import log_in, staff

PHONE = "13935612345"


@pytest.mark.browser
def test_the_office_edits_a_template_and_sends_a_bulk_message(
    live_server, page, submitted_application, password, screenshot, settings, mailoutbox
):
    page.set_default_timeout(30_000)
    settings.SHENBAO_SMS_BACKEND = "shenbao.core.sms.LocmemBackend"
    sms.outbox.clear()
    application = submitted_application
    clerk = application.created_by
    clerk.email, clerk.phone = "clerk@example.cn", PHONE
    clerk.save(update_fields=["email", "phone"])
    office = staff("晋城市人力资源和社会保障局技能办", Role.CALL_ADMIN, "郭技能")
    county = staff("晋城市城区人力资源和社会保障局", Role.COUNTY_REVIEWER, "城区初审员")

    log_in(page, live_server, office, password)
    page.goto(f"{live_server.url}/notifications/templates/")
    expect(page.get_by_role("heading", name="消息模板")).to_be_visible()
    page.get_by_role("link", name="编辑「退回修改」的模板").click()
    page.get_by_label("短信内容").fill("{单位名称}的申报{申报编号}已退回：{意见}请于{截止时间}前修改。{经办人}")
    page.get_by_role("button", name="预览").click()
    expect(page.get_by_text("未知的占位符：{经办人}。")).to_be_visible()
    page.get_by_label("站内消息标题").fill("申报已退回，请修改：{申报编号}")
    page.get_by_label("短信内容").fill("{单位名称}的申报{申报编号}已退回：{意见}请于{截止时间}前修改。")
    page.get_by_role("button", name="预览").click()
    preview = page.get_by_role("region", name="预览（示例数据）")
    expect(preview).to_contain_text("申报已退回，请修改：示例-01-0001")
    expect(preview).to_contain_text("示例科技有限公司的申报示例-01-0001已退回：请补充近三年的培训记录。")
    screenshot(page, "-01-template-preview")
    page.get_by_role("button", name="保存模板").click()
    expect(page.get_by_text("已保存消息模板：退回修改")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(r"^退回修改 "))).to_contain_text("本市已修改")

    due = timezone.localdate() + datetime.timedelta(days=10)
    fire_transition(
        application=application,
        name="return_for_revision",
        actor=county,
        comment="请补充营业执照。",
        payload={"resubmission_due": due.isoformat()},
    )
    told = Notification.objects.get(recipient=clerk, event="workflow:return_for_revision")
    assert told.title == f"申报已退回，请修改：{application.number}"
    unit = application.unit.name
    assert sms.outbox[-1][0] == PHONE and sms.outbox[-1][1].startswith(
        f"{unit}的申报{application.number}已退回：请补充营业执照。请于"
    )

    page.get_by_role("link", name="群发消息").first.click()
    page.get_by_role("link", name="新建群发消息").click()
    page.get_by_label("申报通知").select_option(application.call.slug)
    page.get_by_label("退回修改").check()
    page.get_by_label("标题").fill("补正材料集中答疑")
    page.get_by_label("内容", exact=True).fill("本周五下午在市人社局三楼会议室集中答疑，请退回修改的单位派员参加。")
    page.get_by_label("短信内容").fill("周五下午市人社局三楼集中答疑，请派员参加。")
    page.get_by_role("button", name="预览收件人").click()
    expect(page.get_by_role("heading", name="共 1 个收件账号")).to_be_visible()
    recipients = page.get_by_role("table", name="收件人")
    expect(recipients).to_contain_text(unit)
    expect(recipients).to_contain_text("139****2345")
    expect(recipients).not_to_contain_text(PHONE)
    screenshot(page, "-02-bulk-preview")
    page.get_by_role("button", name="发送").click()
    expect(page.get_by_text("已向 1 个账号发送群发消息。")).to_be_visible()
    log = page.get_by_role("table", name="发送记录")
    expect(log).to_contain_text("139****2345：已发送")
    expect(log).to_contain_text("已发送")
    screenshot(page, "-03-bulk-log")

    bulk = Notification.objects.get(recipient=clerk, event="bulk")
    assert bulk.title == "补正材料集中答疑"
    mail = OutgoingEmail.objects.get(purpose="notification:bulk")
    assert mail.to == ["clerk@example.cn"] and mail.status == OutgoingEmail.Status.SENT
    assert any(message.subject.endswith("补正材料集中答疑") for message in mailoutbox)
    assert sms.outbox[-1] == (PHONE, "周五下午市人社局三楼集中答疑，请派员参加。")
    assert set(OutgoingSms.objects.values_list("status", flat=True)) == {OutgoingSms.Status.SENT}

    log_in(page, live_server, clerk, password)
    page.goto(f"{live_server.url}/notifications/")
    expect(page.locator("main")).to_contain_text("补正材料集中答疑")
    expect(page.locator("main")).to_contain_text(f"申报已退回，请修改：{application.number}")
    screenshot(page, "-04-applicant-inbox")
