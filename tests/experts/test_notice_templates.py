"""Message templates of the notifications outside the application workflow (`notifications.notice_events`): the
registry against the machines that send them, an edited template re-wording an expert's assignment notice and an
export's 「done」 notice (inbox, e-mail, SMS) through the pages, the unchanged defaults, another city's template,
and the cache of templated events that keeps the common case free of queries."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.urls import reverse

from shenbao.accounts.roles import Role
from shenbao.accounts.rules import get_city_of_user
from shenbao.announcements.workflow import MACHINE as ANNOUNCEMENTS
from shenbao.applications.models import Application
from shenbao.calls.extension_workflow import MACHINE as EXTENSIONS
from shenbao.core import sms
from shenbao.experts.assignment import assign_experts
from shenbao.exports.models import ExportJob
from shenbao.exports.workflow import MACHINE as EXPORTS
from shenbao.notifications.message_selectors import TEMPLATED_EVENTS_KEY, map_templated_events
from shenbao.notifications.models import MessageTemplate, Notification, OutgoingEmail, OutgoingSms
from shenbao.notifications.notice_events import NOTICE_EVENTS, NOTICE_SLUGS
from shenbao.notifications.services import create_notifications
from shenbao.notifications.template_services import reset_message_template, save_message_template
from shenbao.notifications.templating import EVENTS
from shenbao.organisations.models import Region
from shenbao.scoring.workflow import MACHINE as SCORING
from tests.factories import UserFactory
from tests.web import WebUser

from .builders import make_application, make_expert, make_panel, make_unit

pytestmark = pytest.mark.django_db
ROOT = Path(django_settings.BASE_DIR)


@pytest.fixture(autouse=True)
def fresh_cache():
    """The map outlives each test's rolled-back rows: start and end without it."""
    cache.delete(TEMPLATED_EVENTS_KEY)
    yield
    cache.delete(TEMPLATED_EVENTS_KEY)


@pytest.fixture
def sms_on(settings):
    settings.SHENBAO_SMS_BACKEND = "shenbao.core.sms.LocmemBackend"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def test_every_notifying_step_of_the_machines_and_every_acceptance_message_has_an_event():
    machines = {"exports": EXPORTS, "scoring": SCORING, "announcement": ANNOUNCEMENTS}
    for prefix, machine in machines.items():
        for step in machine.transitions:
            if step.notify:
                assert f"{prefix}:{step.name}" in NOTICE_EVENTS
    assert {step.event for step in EXTENSIONS.transitions if step.notify} <= set(NOTICE_EVENTS)
    phrases = (ROOT / "shenbao/acceptance/notify.py").read_text(encoding="utf-8")
    assert set(re.findall(r'Message\("([a-z_:]+)"', phrases)) <= set(NOTICE_EVENTS)
    # No slug of another notice can be taken for a workflow step's (the editor's URL holds either).
    assert not set(NOTICE_SLUGS) & set(EVENTS) and len(NOTICE_SLUGS) == len(NOTICE_EVENTS)
    assert not any(event.startswith(("admin_role:", "reminder:", "workflow:")) for event in NOTICE_EVENTS)


def test_the_office_rewords_an_assignment_notice_through_the_editor_and_the_expert_gets_it(
    admin, call, workstation_type, password, sms_on, django_capture_on_commit_callbacks
):
    web = WebUser()
    web.log_in(admin.username, password)
    listing = web.get(reverse("notifications:message_templates")).content.decode()
    assert "专家评审" in listing and "分配评审任务" in listing and "导出文件已生成" in listing
    url = reverse("notifications:message_template", kwargs={"event": "experts-assigned"})
    page = web.get(url).content.decode()
    assert "<code>{正文}</code>" in page and "<code>{申报编号}</code>" not in page  # it names no application
    texts = {
        "title": "【评审】{标题}",
        "body": "{正文}平台：{平台名称}",
        "email_subject": "评审任务通知：{标题}",
        "email_body": "{收件人}：\n{正文}\n{链接}",
        "sms_text": "您有{标题}，请登录{平台名称}查看。",
    }
    refused = web.post(url, {**texts, "sms_text": "{申报编号}"})
    assert refused.status_code == 200 and "未知的占位符：{申报编号}。" in refused.content.decode()
    previewed = web.post(url, {**texts, "preview": "1"}).content.decode()
    assert "【评审】示例消息标题：分配评审任务" in previewed and not MessageTemplate.objects.exists()
    assert web.post(url, {**texts, "save": "1"}).status_code == 302

    expert = make_expert(admin, region_key="140521", phone="13912345678", email="expert@example.cn")
    expert.user.phone = "13912345678"  # SMS go to the account's number (the pool's number is the office's record)
    expert.user.save(update_fields=["phone"])
    make_application(make_unit("140502"), workstation_type)
    panel = make_panel(admin, call, workstation_type, [expert], per_application=1)
    with django_capture_on_commit_callbacks(execute=True):
        assign_experts(panel=panel, actor=admin)

    notice = Notification.objects.get(recipient=expert.user, event="experts:assigned")
    assert notice.title == "【评审】新的评审任务（1项）"
    assert notice.body.startswith("您被分配了新的专家评审任务") and notice.body.endswith("平台：申报评审平台")
    email = OutgoingEmail.objects.get(to=["expert@example.cn"], purpose="notification:experts:assigned")
    assert email.subject == "评审任务通知：【评审】新的评审任务（1项）"
    assert email.body == f"{expert.user}：\n{notice.body}\nhttp://testserver{reverse('experts:my_assignments')}"
    assert sms.outbox == [("13912345678", "您有新的评审任务（1项），请登录申报评审平台查看。")]
    assert OutgoingSms.objects.get(purpose="experts:assigned").status == OutgoingSms.Status.SENT


def test_an_export_done_notice_follows_the_city_of_the_person_who_asked(
    admin, sms_on, password, django_capture_on_commit_callbacks
):
    owner = UserFactory(
        organisation=admin.organisation, roles=[Role.AUDIT_ADMIN], email="owner@example.cn", phone="13800000001"
    )
    texts = {"title": "{标题}（{平台名称}）", "sms_text": "{标题}"}
    save_message_template(city=get_city_of_user(admin), event=NOTICE_EVENTS["exports:finish"], texts=texts, actor=admin)
    web = WebUser()
    web.log_in(owner.username, password)
    with django_capture_on_commit_callbacks(execute=True):
        response = web.post(
            reverse("exports:request", kwargs={"kind": "audit.entries"}), {}, form_url=reverse("audit:list")
        )
    assert response.status_code == 302
    job = ExportJob.objects.get(owner=owner)
    assert job.status == ExportJob.Status.DONE
    notice = Notification.objects.get(recipient=owner)
    assert notice.title == f"导出文件已生成：{job.title}（申报评审平台）"
    assert notice.body.startswith("共") and notice.body.endswith("请在导出任务页面下载。")  # blank body: the default
    assert sms.outbox == [("13800000001", f"导出文件已生成：{job.title}")]
    # No e-mail field written: the default e-mail, quoting the re-worded title.
    assert (
        OutgoingEmail.objects.get(to=["owner@example.cn"], purpose="notification:exports:finish").subject
        == f"【申报评审平台】{notice.title}"
    )


def tell(admin, application=None, **extra):
    return create_notifications(
        recipients=[admin],
        event="experts:recused",
        title="默认标题",
        body="默认内容。",
        url="/experts/",
        application=application,
        **extra,
    )


def test_without_a_template_the_texts_and_the_query_count_are_unchanged(
    admin, workstation_type, sms_on, django_assert_num_queries
):
    application = Application.objects.get(pk=make_application(make_unit("140502"), workstation_type).pk)
    map_templated_events()  # as every process after its first notification: the map is cached
    # One INSERT of the notification, one of its e-mail: neither the template nor the city (the call) is read.
    admin.email = "office@example.cn"
    with django_assert_num_queries(2):
        [notice] = tell(admin, application=application, city=lambda: pytest.fail("the city was looked up"))
    assert (notice.title, notice.body) == ("默认标题", "默认内容。")
    assert not OutgoingSms.objects.exists()


def test_another_citys_template_does_not_apply_and_costs_no_template_query(
    admin, workstation_type, sms_on, django_assert_num_queries
):
    other = Region.objects.create(key="149900", name="别市", level=Region.Level.CITY)
    save_message_template(
        city=other,
        event=NOTICE_EVENTS["experts:recused"],
        texts={"title": "别市：{标题}", "sms_text": "x"},
        actor=admin,
    )
    application = make_application(make_unit("140502"), workstation_type)
    application = Application.objects.select_related("call").get(pk=application.pk)
    map_templated_events()
    admin.email = "office@example.cn"
    with django_assert_num_queries(2):
        [notice] = tell(admin, application=application)  # the city from the application's call
    assert notice.title == "默认标题" and not sms.outbox


def test_saving_and_resetting_a_template_invalidate_the_cached_map(admin, workstation_type):
    city = get_city_of_user(admin)
    application = make_application(make_unit("140502"), workstation_type)
    assert map_templated_events() == {}
    assert tell(admin, application=application)[0].title == "默认标题"

    event = NOTICE_EVENTS["experts:recused"]
    save_message_template(city=city, event=event, texts={"title": "{申报编号}：{标题}"}, actor=admin)
    assert map_templated_events() == {"experts:recused": frozenset({city.pk})}
    assert tell(admin, application=application)[0].title == f"{application.number}：默认标题"
    # Told without an application (a call site that has none): its placeholders read empty, never fail.
    assert tell(admin, city=city.pk)[0].title == "：默认标题"

    reset_message_template(city=city, event=event, actor=admin)
    assert map_templated_events() == {}
    assert tell(admin, application=application)[0].title == "默认标题"
