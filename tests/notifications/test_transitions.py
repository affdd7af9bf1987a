"""Every workflow step tells the people of its `notify` tuple, in the site and by e-mail, never the actor."""

import dataclasses
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shenbao.accounts.roles import Role
from shenbao.applications.services import fire_transition
from shenbao.applications.workflow import get_transition
from shenbao.notifications.models import Notification
from shenbao.notifications.recipients import list_recipients
from shenbao.notifications.services import notify_transition
from tests.applications.builders import IN_TIME, county_bureau_of
from tests.factories import UserFactory

from .builders import REASON

pytestmark = pytest.mark.django_db


def inbox_of(user):
    return list(Notification.objects.filter(recipient=user).order_by("pk"))


def test_submit_notifies_the_first_reviewers_and_colleagues_but_not_the_actor(
    ready_draft, applicant, colleague, county_reviewer, staff_of
):
    other_county = UserFactory(organisation=county_bureau_of("140522"), roles=[Role.COUNTY_REVIEWER])
    city_admin = staff_of("晋城市人力资源和社会保障局技能办", Role.CALL_ADMIN)

    application = fire_transition(application=ready_draft, name="submit", actor=applicant, at=IN_TIME)

    [to_reviewer] = inbox_of(county_reviewer)
    assert to_reviewer.event == "workflow:submit"
    assert to_reviewer.application == application
    assert to_reviewer.title == f"提交申报：{application.number}"
    assert (
        to_reviewer.body == f"申报 {application.number}（晋城市精工机械有限公司）已提交，等待资格初审。请进行资格初审。"
    )
    # The link opens the page where the reviewer acts, not the application's status page.
    assert to_reviewer.url == reverse("review:first_review", kwargs={"public_id": application.public_id})
    assert to_reviewer.created_at == IN_TIME and to_reviewer.read_at is None
    [to_colleague] = inbox_of(colleague)
    assert to_colleague.event == "workflow:submit" and not to_colleague.body.endswith("请进行资格初审。")
    assert inbox_of(applicant) == [] and inbox_of(other_county) == [] and inbox_of(city_admin) == []


def test_return_notifies_the_applicant_in_the_inbox_and_by_email_with_the_reason(
    county_reviewer, submitted, applicant, make_returned, mailoutbox, django_capture_on_commit_callbacks
):
    applicant.email = "jinggong@example.com"
    applicant.save(update_fields=["email"])
    county_reviewer.email = "chengqu@example.com"
    county_reviewer.save(update_fields=["email"])

    with django_capture_on_commit_callbacks(execute=True):
        application = make_returned(submitted)

    [notification] = inbox_of(applicant)
    expected = f"申报 {application.number}（晋城市精工机械有限公司）已被退回修改：{REASON}。补正截止：2022年12月20日。"
    assert notification.body == expected + "请按意见修改申报书，在补正截止日期前重新提交。"
    assert notification.emailed_at is not None
    [message] = mailoutbox
    assert message.to == ["jinggong@example.com"]
    assert message.subject == f"【申报评审平台】退回修改：{application.number}"
    assert expected in message.body
    assert f"/applications/{application.public_id}/" in message.body
    # The reviewer who returned it is told nothing, though submitting told them before.
    assert [n.event for n in inbox_of(county_reviewer)] == ["workflow:submit"]


def test_users_without_an_email_address_get_the_inbox_message_only(
    submitted, applicant, make_returned, mailoutbox, django_capture_on_commit_callbacks
):
    assert applicant.email == ""
    with django_capture_on_commit_callbacks(execute=True):
        make_returned(submitted)
    assert len(inbox_of(applicant)) == 1
    assert mailoutbox == []


def test_no_email_before_the_transaction_commits(submitted, applicant, make_returned, mailoutbox):
    applicant.email = "jinggong@example.com"
    applicant.save(update_fields=["email"])
    make_returned(submitted)  # the test's transaction never commits, so the e-mail is never queued
    assert mailoutbox == []
    assert inbox_of(applicant)[0].emailed_at is None


def test_a_refused_step_tells_nobody(submitted, applicant, county_reviewer):
    with pytest.raises(ValidationError):
        fire_transition(
            application=submitted,
            name="return_for_revision",
            actor=county_reviewer,
            comment=REASON,
            payload={"resubmission_due": "2022-12-01"},  # in the past: the guard refuses
            at=IN_TIME,
        )
    assert inbox_of(applicant) == []


def test_inactive_users_are_not_told(ready_draft, applicant, county_reviewer):
    county_reviewer.is_active = False
    county_reviewer.save(update_fields=["is_active"])
    fire_transition(application=ready_draft, name="submit", actor=applicant, at=IN_TIME)
    assert inbox_of(county_reviewer) == []


def test_city_reviewers_are_the_recheck_bodies_of_the_calls_city(submitted, staff_of, applicant):
    org_department = staff_of("中共晋城市委组织部", Role.CITY_REVIEWER)
    hr_bureau = staff_of("晋城市人力资源和社会保障局", Role.CITY_REVIEWER)
    skills_office = staff_of("晋城市人力资源和社会保障局技能办", Role.CALL_ADMIN)
    recipients = list_recipients(application=submitted, audiences=("city_reviewers",))
    assert {user for user, _audience in recipients} == {org_department, hr_bureau}

    submitted.call.recheck_bodies = ["city_org_department"]
    recipients = list_recipients(application=submitted, audiences=("city_reviewers",))
    assert [user for user, _audience in recipients] == [org_department]

    recipients = list_recipients(application=submitted, audiences=("call_admin",))
    assert [user for user, _audience in recipients] == [skills_office]


def test_a_user_in_two_audiences_is_told_once_and_the_actor_never(submitted, applicant, colleague, county_reviewer):
    recipients = list_recipients(
        application=submitted, audiences=("applicant", "first_reviewer", "applicant"), exclude=colleague
    )
    assert recipients == [(applicant, "applicant"), (county_reviewer, "first_reviewer")]


def test_every_audience_of_a_step_is_read_in_one_query(
    submitted, applicant, colleague, county_reviewer, staff_of, django_assert_num_queries
):
    skills_office = staff_of("晋城市人力资源和社会保障局技能办", Role.CALL_ADMIN)
    audiences = ("call_admin", "applicant", "first_reviewer")
    with django_assert_num_queries(1):
        recipients = list_recipients(application=submitted, audiences=audiences, exclude=colleague)
    assert recipients == [(skills_office, "call_admin"), (applicant, "applicant"), (county_reviewer, "first_reviewer")]
    with django_assert_num_queries(1):
        assert list_recipients(application=submitted, audiences=("first_reviewer",)) == [
            (county_reviewer, "first_reviewer")
        ]


def test_consulted_departments_with_an_open_request_are_told(submitted, staff_of, applicant):
    from shenbao.opinions.models import OpinionRequest

    tax = staff_of("国家税务总局晋城市税务局", Role.CONSULTED_DEPARTMENT)
    market = staff_of("晋城市市场监督管理局", Role.CONSULTED_DEPARTMENT)
    for user, response in ((tax, ""), (market, "no_objection")):
        OpinionRequest.objects.create(
            application=submitted,
            department=user.organisation,
            basis=OpinionRequest.Basis.CONSULTED,
            due_on=datetime.date(2022, 12, 30),
            requested_at=IN_TIME,
            requested_by=applicant,
            response=response,
        )
    recipients = list_recipients(application=submitted, audiences=("consulted",))
    assert recipients == [(tax, "consulted")]


def test_a_consulted_department_is_asked_to_answer_on_its_own_answer_page(submitted, staff_of, applicant):
    from shenbao.opinions.models import OpinionRequest

    tax = staff_of("国家税务总局晋城市税务局", Role.CONSULTED_DEPARTMENT)
    request = OpinionRequest.objects.create(
        application=submitted,
        department=tax.organisation,
        basis=OpinionRequest.Basis.CONSULTED,
        due_on=datetime.date(2022, 12, 30),
        requested_at=IN_TIME,
        requested_by=applicant,
    )
    step = dataclasses.replace(get_transition("propose"), notify=("consulted",))

    notify_transition(application=submitted, step=step, actor=applicant, comment="", at=IN_TIME)

    [notification] = inbox_of(tax)
    assert notification.url == reverse("opinions:answer", kwargs={"public_id": request.public_id})
    assert notification.body.endswith("请在反馈截止日期前对该单位反馈无异议或有异议的意见。")


def test_nobody_consulted_without_requests(submitted, staff_of):
    staff_of("国家税务总局晋城市税务局", Role.CONSULTED_DEPARTMENT)
    assert list_recipients(application=submitted, audiences=("consulted",)) == []


def test_internal_comments_reach_staff_but_not_the_applicant(submitted, applicant, staff_of, county_reviewer):
    """overrule_opinion's comment is internal (not comment_to_applicant): only staff audiences read it."""
    step = dataclasses.replace(get_transition("overrule_opinion"), notify=("applicant", "call_admin"))
    admin = staff_of("晋城市人力资源和社会保障局技能办", Role.CALL_ADMIN)
    notify_transition(application=submitted, step=step, actor=county_reviewer, comment="内部研究意见", at=IN_TIME)
    [to_applicant] = inbox_of(applicant)
    [to_admin] = inbox_of(admin)
    assert "内部研究意见" not in to_applicant.body
    assert to_admin.body.endswith("继续办理：内部研究意见。")


def test_every_transition_has_its_own_wording():
    # The wording lives in the workflow table (`phrase`), with what each audience is asked to do (`asks`).
    from shenbao.applications.workflow import TRANSITIONS

    assert all(step.phrase for step in TRANSITIONS)
    assert len({step.phrase for step in TRANSITIONS}) == len(TRANSITIONS)
    for step in TRANSITIONS:
        assert {audience for audience, _text in step.asks} <= set(step.notify), step.name
