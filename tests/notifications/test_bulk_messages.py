"""群发消息 through HTTP (logged in, CSRF on): the 技能办 filters the units (a returned application in the call, a
county), previews the recipients, sends; each active applicant account gets the inbox row, the e-mail and the SMS,
and the log — viewable by the city's staff — says per recipient what each channel did, numbers masked."""

import pytest
from django.urls import reverse

from shenbao.accounts.roles import Role
from shenbao.applications.services import start_application
from shenbao.audit.models import AuditEntry
from shenbao.core import sms
from shenbao.notifications.models import BulkMessage, BulkRecipient, Notification, OutgoingEmail, OutgoingSms
from shenbao.organisations.models import Organisation, Region
from tests.applications.builders import IN_TIME
from tests.factories import GovernmentBodyFactory, UserFactory
from tests.web import WebUser

pytestmark = pytest.mark.django_db
SKILLS_OFFICE = "晋城市人力资源和社会保障局技能办"
NEW = reverse("notifications:bulk_message_new")


@pytest.fixture
def returned_and_other(
    submitted, make_returned, applicant, colleague, make_unit, make_applicant, call, workstation_type
):
    applicant.email, applicant.phone = "jinggong@example.cn", "13935612345"
    applicant.save(update_fields=["email", "phone"])
    UserFactory(organisation=applicant.organisation, roles=[Role.APPLICANT], is_active=False)
    make_returned(submitted)
    other_unit = make_unit(name="沁水县测试制造有限公司", region="140521")
    other = make_applicant(other_unit)
    start_application(call=call, project_type=workstation_type, unit=other_unit, user=other, at=IN_TIME)
    return other


@pytest.fixture
def office(staff_of, password):
    admin = staff_of(SKILLS_OFFICE, Role.CALL_ADMIN)
    web = WebUser()
    web.log_in(admin.username, password)
    return admin, web


def test_the_office_previews_and_sends_to_every_unit_with_a_returned_application(
    returned_and_other,
    office,
    applicant,
    colleague,
    call,
    staff_of,
    password,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.SHENBAO_SMS_BACKEND = "shenbao.core.sms.LocmemBackend"
    sms.outbox.clear()
    admin, web = office
    filters = {"call": call.slug, "statuses": ["returned"]}
    message = {"subject": "补正材料提醒", "body": "请尽快补正材料并重新提交。", "sms_text": "请登录平台补正申报材料。"}

    preview = web.post(NEW, {**filters, **message, "preview": "1"}).content.decode()
    assert "共 2 个收件账号" in preview and "139****2345" in preview and "13935612345" not in preview
    assert "沁水县测试制造有限公司" not in preview
    assert not BulkMessage.objects.exists()

    refused = web.post(NEW, {**filters, "subject": "", "body": "", "send": "1"})
    assert refused.status_code == 200 and "发送前请填写此项。" in refused.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        sent = web.post(NEW, {**filters, **message, "send": "1"})
    bulk = BulkMessage.objects.get()
    assert sent.status_code == 302 and sent["Location"] == reverse(
        "notifications:bulk_message", kwargs={"public_id": bulk.public_id}
    )
    assert bulk.sender == admin and bulk.filters["statuses"] == ["returned"] and bulk.filters["call"] == call.slug
    inbox = Notification.objects.filter(event="bulk").order_by("recipient_id")
    assert {row.recipient for row in inbox} == {applicant, colleague}
    assert all(row.title == "补正材料提醒" and row.body == "请尽快补正材料并重新提交。" for row in inbox)
    mails = OutgoingEmail.objects.filter(purpose="notification:bulk")
    assert sorted(address for mail in mails for address in mail.to) == sorted(
        ["colleague@example.com", applicant.email]
    )
    assert set(mails.values_list("status", flat=True)) == {OutgoingEmail.Status.SENT}
    assert sms.outbox == [("13935612345", "请登录平台补正申报材料。")]
    assert OutgoingSms.objects.get().status == OutgoingSms.Status.SENT
    rows = BulkRecipient.objects.filter(message=bulk)
    assert rows.count() == 2 and rows.get(user=applicant).sms is not None and rows.get(user=colleague).sms is None
    entry = AuditEntry.objects.get(event="notifications:bulk_send")
    assert entry.additional_data["recipients"] == 2 and entry.additional_data["sms"] == 1

    log = web.get(sent["Location"]).content.decode()
    assert "139****2345：已发送" in log and "13935612345" not in log
    city_reviewer = staff_of("晋城市人力资源和社会保障局", Role.CITY_REVIEWER)
    reader = WebUser()
    reader.log_in(city_reviewer.username, password)
    assert reader.get(sent["Location"]).status_code == 200
    assert "补正材料提醒" in reader.get(reverse("notifications:bulk_messages")).content.decode()
    assert reader.get(NEW).status_code == 403


def test_the_county_filter_picks_the_other_unit_and_nothing_matching_sends_nothing(returned_and_other, office):
    _admin, web = office
    preview = web.post(NEW, {"county": "140521", "preview": "1"}).content.decode()
    assert "共 1 个收件账号" in preview and "沁水县测试制造有限公司" in preview
    empty = web.post(NEW, {"county": "140521", "statuses": ["awarded"], "subject": "题", "body": "文", "send": "1"})
    assert "没有符合条件的收件人，未发送。" in empty.content.decode()
    assert not BulkMessage.objects.exists()


def test_another_citys_office_cannot_see_the_message(returned_and_other, office, password):
    _admin, web = office
    with_message = web.post(NEW, {"statuses": ["returned"], "subject": "晋城市内部答疑安排", "body": "文", "send": "1"})
    url = with_message["Location"]
    assert BulkMessage.objects.count() == 1
    province = Region.objects.get(key="140500").parent
    other_city = Region.objects.create(key="140400", name="长治市", level=Region.Level.CITY, parent=province)
    body = GovernmentBodyFactory(region=other_city, function=Organisation.Function.CITY_SKILLS_OFFICE)
    stranger = UserFactory(organisation=body, roles=[Role.CALL_ADMIN])
    outsider = WebUser()
    outsider.log_in(stranger.username, password)
    assert outsider.get(url).status_code == 404
    listing = outsider.get(reverse("notifications:bulk_messages")).content.decode()
    assert "晋城市内部答疑安排" not in listing and "尚未发送群发消息。" in listing
