"""Message templates: named placeholders checked and rendered safely, the preview, reset to the default, and a real
workflow step (submitted through HTTP) telling the reviewer in the words the city's 技能办 wrote."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from shenbao.accounts.roles import Role
from shenbao.applications.services import fire_transition
from shenbao.audit.models import AuditEntry
from shenbao.core import sms
from shenbao.notifications.models import MessageTemplate, Notification, OutgoingEmail, OutgoingSms
from shenbao.notifications.placeholders import check_placeholders, render_text
from shenbao.notifications.template_services import preview_template, validate_template_texts
from shenbao.notifications.templating import EVENTS
from shenbao.organisations.models import Region
from tests.applications.builders import IN_TIME
from tests.web import WebUser

pytestmark = pytest.mark.django_db
SKILLS_OFFICE = "晋城市人力资源和社会保障局技能办"
# Joined to format syntax (!r, :>99) outside one literal, which the punctuation check would read as prose.
NUMBER = "申报编号"


def test_placeholders_are_replaced_by_name_and_braces_can_be_written():
    text = "{申报编号}（{单位名称}）：{{原样}}"
    assert render_text(text=text, values={"申报编号": "A-1", "单位名称": "某公司"}) == "A-1（某公司）：{原样}"


@pytest.mark.parametrize(
    "text,named",
    [
        ("{申报人}", "{申报人}"),  # a name the event does not offer
        ("{申报编号.__class__}", "{申报编号.__class__}"),  # attribute access is never a placeholder
        ("{申报编号[0]}", "{申报编号[0]}"),
        ("{" + NUMBER + "!r}", "{" + NUMBER + "!r}"),  # neither are conversions …
        ("{" + NUMBER + ":>99}", "{" + NUMBER + ":>99}"),  # … nor format specs
        ("{}", "{}"),
    ],
)
def test_an_unknown_placeholder_is_refused_by_name(text, named):
    with pytest.raises(ValidationError) as refused:
        check_placeholders(text=text, allowed=EVENTS["submit"].placeholders)
    assert f"未知的占位符：{named}。" in refused.value.messages[0]


def test_unpaired_braces_are_refused():
    with pytest.raises(ValidationError, match="花括号不成对"):
        check_placeholders(text="{申报编号", allowed=EVENTS["submit"].placeholders)


def test_each_event_offers_its_own_set_and_the_mail_fields_a_few_more():
    assert "截止时间" in EVENTS["return_for_revision"].placeholders
    assert "截止时间" not in EVENTS["submit"].placeholders
    with pytest.raises(ValidationError) as refused:
        validate_template_texts(event=EVENTS["submit"], texts={"title": "{正文}", "email_body": "{正文}{截止时间}"})
    assert set(refused.value.error_dict) == {"title", "email_body"}
    assert "{截止时间}" in refused.value.error_dict["email_body"][0].messages[0]


def test_the_preview_fills_sample_data_and_blank_fields_show_the_default():
    preview = preview_template(event=EVENTS["submit"], texts={"sms_text": "{单位名称}：{操作}"})
    assert preview["title"] == "提交申报：示例-01-0001"
    assert preview["sms_text"] == "示例科技有限公司：提交申报"
    assert preview["email_subject"] == "【申报评审平台】提交申报：示例-01-0001"


@pytest.fixture
def office(staff_of, password):
    admin = staff_of(SKILLS_OFFICE, Role.CALL_ADMIN)
    web = WebUser()
    web.log_in(admin.username, password)
    return admin, web


@pytest.fixture
def clock(monkeypatch):
    """The server's clock inside the 2022 submission window (the call file's real dates)."""
    monkeypatch.setattr(timezone, "now", lambda: IN_TIME + datetime.timedelta(minutes=1))


# The submission's documents stay queued: this test reads the mail, and rendering them as the commit's after-effect
# cost 4 s (tests/fixtures/documents.py).
@pytest.mark.usefixtures("documents_queued")
def test_the_skills_office_edits_a_template_and_a_submission_through_http_uses_it(
    clock, office, ready_draft, applicant, county_reviewer, password, settings, django_capture_on_commit_callbacks
):
    settings.SHENBAO_SMS_BACKEND = "shenbao.core.sms.LocmemBackend"
    sms.outbox.clear()
    county_reviewer.email, county_reviewer.phone = "county@example.cn", "13912345678"
    county_reviewer.save(update_fields=["email", "phone"])
    admin, web = office
    url = reverse("notifications:message_template", kwargs={"event": "submit"})
    texts = {
        "title": "新申报待初审：{申报编号}",
        "body": "{单位名称}的{项目类别}申报已提交，请于5个工作日内初审。",
        "email_subject": "【初审提醒】{标题}",
        "email_body": "{收件人}：\n{正文}\n{链接}",
        "sms_text": "{单位名称}已提交申报{申报编号}，请登录平台初审。",
    }

    refused = web.post(url, {**texts, "title": "{申报人}"})
    assert refused.status_code == 200 and "未知的占位符：{申报人}。" in refused.content.decode()
    previewed = web.post(url, {**texts, "preview": "1"})
    assert "新申报待初审：示例-01-0001" in previewed.content.decode()
    assert not MessageTemplate.objects.exists()
    saved = web.post(url, {**texts, "save": "1"})
    assert saved.status_code == 302
    assert AuditEntry.objects.filter(event="notifications:template_save", actor=admin).exists()

    clerk = WebUser()
    clerk.log_in(applicant.username, password)
    with django_capture_on_commit_callbacks(execute=True):
        assert clerk.post(reverse("applications:submit", args=[ready_draft.public_id])).status_code == 302

    [notice] = Notification.objects.filter(recipient=county_reviewer)
    number, unit = notice.application.number, notice.application.unit.name
    assert notice.title == f"新申报待初审：{number}"
    assert notice.body == f"{unit}的{notice.application.project_type.name}申报已提交，请于5个工作日内初审。"
    email = OutgoingEmail.objects.get(to=["county@example.cn"])
    assert email.subject == f"【初审提醒】新申报待初审：{number}" and email.status == OutgoingEmail.Status.SENT
    assert email.body.startswith(f"{county_reviewer}：\n{notice.body}\n")
    assert sms.outbox == [("13912345678", f"{unit}已提交申报{number}，请登录平台初审。")]
    assert OutgoingSms.objects.get().status == OutgoingSms.Status.SENT
    assert OutgoingSms.objects.count() == 1  # the applicant's own colleagues have no number

    reset = web.post(reverse("notifications:message_template_reset", kwargs={"event": "submit"}), form_url=url)
    assert reset.status_code == 302 and not MessageTemplate.objects.exists()
    assert AuditEntry.objects.filter(event="notifications:template_reset").exists()


def test_without_a_template_the_texts_are_unchanged(ready_draft, applicant, county_reviewer, staff_of):
    application = fire_transition(application=ready_draft, name="submit", actor=applicant, at=IN_TIME)
    [notice] = Notification.objects.filter(recipient=county_reviewer)
    assert notice.title == f"提交申报：{application.number}"
    assert notice.body == f"申报 {application.number}（晋城市精工机械有限公司）已提交，等待资格初审。请进行资格初审。"
    assert not OutgoingSms.objects.exists()


def test_another_citys_template_does_not_apply(ready_draft, applicant, county_reviewer, staff_of):

    admin = staff_of(SKILLS_OFFICE, Role.CALL_ADMIN)
    other = Region.objects.create(key="149900", name="别市", level=Region.Level.CITY)
    MessageTemplate.objects.create(city=other, event="workflow:submit", title="别市：{申报编号}", updated_by=admin)
    application = fire_transition(application=ready_draft, name="submit", actor=applicant, at=IN_TIME)
    assert Notification.objects.get(recipient=county_reviewer).title == f"提交申报：{application.number}"
