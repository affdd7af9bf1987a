"""延期提交 (issue 15, point 6): the 技能办 lets one unit submit after the call's deadline, for a stated reason.

The call is the real 2022 notice (deadline 2022-12-08 23:59:59 Beijing time). Boundaries are taken at the
resolution users live in: the extended deadline's last millisecond is in time, the next day's first is late, and
every other unit keeps the call's own deadline. The paths are walked through HTTP (WebUser: real middleware,
CSRF on): the 技能办 grants on the call editor's page, the unit sees the call again and submits, the county
reviewer reads the note on the application, another city's 技能办 and the unit itself get 404 on the page.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from shenbao.applications.models import Application
from shenbao.applications.services import fire_transition
from shenbao.applications.workflow import ApplicationStatus
from shenbao.audit.models import AuditEntry
from shenbao.calls.extension_selectors import get_unit_deadline, is_open_for_unit
from shenbao.calls.extension_services import grant_deadline_extension, revoke_deadline_extension
from shenbao.calls.models import DeadlineExtension, ExtensionReason, ExtensionState
from shenbao.notifications.models import Notification
from tests.applications.builders import BEIJING

from .editor_helpers import jincheng_call_admin, logged_in, other_city_call_admin

pytestmark = pytest.mark.django_db

CALL_LAST_SECOND = datetime.datetime(2022, 12, 8, 23, 59, 59, tzinfo=BEIJING)
GRANTED_AT = datetime.datetime(2022, 12, 9, 9, 30, tzinfo=BEIJING)
EXTENDED = datetime.datetime(2022, 12, 15, 23, 59, 59, tzinfo=BEIJING)
NEXT_DAY = datetime.datetime(2022, 12, 16, 0, 0, 0, tzinfo=BEIJING)
LATE_MESSAGE = "本单位的延期提交已于2022年12月15日 23:59:59（北京时间）截止"


@pytest.fixture
def admin(reference):
    return jincheng_call_admin()


@pytest.fixture
def clock(monkeypatch):
    """The server's clock (an outside service) set by the test: `clock.at = …`."""

    class Clock:
        at = GRANTED_AT

    monkeypatch.setattr(timezone, "now", lambda: Clock.at)
    return Clock


def grant(call, unit, admin, deadline=EXTENDED, reason="暴雪封路，材料无法按时盖章。", at=GRANTED_AT):
    return grant_deadline_extension(
        call=call,
        unit=unit,
        deadline=deadline,
        reason_kind=ExtensionReason.FORCE_MAJEURE,
        reason=reason,
        actor=admin,
        at=at,
    )


def test_without_an_extension_the_units_deadline_is_the_calls(call, unit):
    assert get_unit_deadline(call=call, unit=unit).deadline == CALL_LAST_SECOND
    assert is_open_for_unit(call=call, unit=unit, at=CALL_LAST_SECOND.replace(microsecond=999000))
    assert not is_open_for_unit(call=call, unit=unit, at=CALL_LAST_SECOND + datetime.timedelta(seconds=1))


@pytest.mark.parametrize("microsecond", [0, 999000])
def test_the_extended_deadlines_last_millisecond_is_in_time(call, ready_draft, applicant, admin, microsecond):
    grant(call, ready_draft.unit, admin)
    submitted = fire_transition(
        application=ready_draft, name="submit", actor=applicant, at=EXTENDED.replace(microsecond=microsecond)
    )
    assert submitted.status == ApplicationStatus.SUBMITTED


def test_the_first_millisecond_after_the_extension_is_late_and_says_so(call, ready_draft, applicant, admin):
    grant(call, ready_draft.unit, admin)
    with pytest.raises(ValidationError) as refusal:
        fire_transition(application=ready_draft, name="submit", actor=applicant, at=NEXT_DAY)
    assert any(LATE_MESSAGE in message for message in refusal.value.messages)


def test_another_unit_keeps_the_calls_deadline(call, unit, admin, make_unit):
    grant(call, unit, admin)
    other = make_unit(name="晋城市另一家企业有限公司")
    assert get_unit_deadline(call=call, unit=other).deadline == CALL_LAST_SECOND
    assert not is_open_for_unit(call=call, unit=other, at=GRANTED_AT)
    assert is_open_for_unit(call=call, unit=unit, at=GRANTED_AT)


def test_a_grant_is_audited_and_told_to_the_unit_with_a_link_to_its_applications(call, unit, applicant, admin):
    extension = grant(call, unit, admin)
    entry = AuditEntry.objects.get(event="calls:extension_grant")
    assert entry.additional_data["deadline"] == EXTENDED.isoformat()
    assert entry.additional_data["reason"] == "暴雪封路，材料无法按时盖章。"
    assert entry.object_id == extension.pk
    note = Notification.objects.get(recipient=applicant)
    assert "2022年12月15日 23:59:59" in note.body
    assert note.url == reverse("applications:list")


@pytest.mark.parametrize(
    ("deadline", "reason", "expected"),
    [
        (CALL_LAST_SECOND, "暴雪封路，材料无法按时盖章。", "须晚于申报通知规定的截止时间"),
        (GRANTED_AT - datetime.timedelta(seconds=1), "暴雪封路，材料无法按时盖章。", "须晚于当前时间"),
        (EXTENDED, "下雪", "请写明延期原因"),
    ],
    ids=["not-after-the-call", "in-the-past", "no-real-reason"],
)
def test_a_grant_is_refused_with_its_reason(call, unit, admin, deadline, reason, expected):
    with pytest.raises(ValidationError) as refusal:
        grant(call, unit, admin, deadline=deadline, reason=reason)
    assert any(expected in message for message in refusal.value.messages)
    assert not DeadlineExtension.objects.exists()


def test_a_unit_of_another_city_cannot_be_granted(call, admin, make_unit):
    other_city_call_admin()  # creates 太原市, another city of the province
    stranger = make_unit(region="140100", name="太原市某企业有限公司")
    with pytest.raises(ValidationError) as refusal:
        grant(call, stranger, admin)
    assert any("不属于晋城市" in message for message in refusal.value.messages)


def test_only_the_calls_own_administrator_may_grant(call, unit, applicant):
    with pytest.raises(PermissionDenied):
        grant(call, unit, other_city_call_admin())
    with pytest.raises(PermissionDenied):
        grant(call, unit, applicant)


def test_a_second_grant_for_the_same_unit_is_refused_until_the_first_is_revoked(call, unit, admin):
    first = grant(call, unit, admin)
    with pytest.raises(ValidationError):
        grant(call, unit, admin, deadline=EXTENDED + datetime.timedelta(days=1))
    revoke_deadline_extension(extension=first, actor=admin, comment="改期")
    later = grant(call, unit, admin, deadline=EXTENDED + datetime.timedelta(days=1))
    assert get_unit_deadline(call=call, unit=unit).extension == later


def test_a_revoked_extension_no_longer_holds_and_the_unit_is_told(call, ready_draft, applicant, admin):
    extension = grant(call, ready_draft.unit, admin)
    revoked = revoke_deadline_extension(extension=extension, actor=admin, comment="经核实，系单位自身原因")
    assert revoked.state == ExtensionState.REVOKED
    assert AuditEntry.objects.filter(event="calls:extension_revoke").count() == 1
    assert "系单位自身原因" in Notification.objects.filter(recipient=applicant).latest("pk").body
    with pytest.raises(ValidationError):
        fire_transition(application=ready_draft, name="submit", actor=applicant, at=GRANTED_AT)


def test_a_revocation_needs_a_reason_and_the_calls_administrator(call, unit, admin, applicant):
    extension = grant(call, unit, admin)
    with pytest.raises(ValidationError):
        revoke_deadline_extension(extension=extension, actor=admin, comment="")
    with pytest.raises(PermissionDenied):
        revoke_deadline_extension(extension=extension, actor=applicant, comment="不需要了")


# --- Through HTTP -------------------------------------------------------------------------------------------------


def page_url(call):
    return reverse("calls:extension_list", kwargs={"slug": call.slug})


def grant_form(unit, **changes):
    return {
        "credit_code": unit.credit_code,
        "day": "2022-12-15",
        "time": "23:59:59",
        "reason_kind": ExtensionReason.SYSTEM_FAULT,
        "reason": "12月8日晚平台故障，该单位无法上传材料。",
        **changes,
    }


def test_the_administrator_grants_the_unit_submits_and_the_reviewer_reads_why(
    call, ready_draft, applicant, admin, county_reviewer, password, clock
):
    web = logged_in(admin, password)
    response = web.post(page_url(call), grant_form(ready_draft.unit))
    assert response.status_code == 302, response.content.decode()
    assert response.url == page_url(call)
    page = web.get(page_url(call)).content.decode()
    assert ready_draft.unit.name in page and "2022年12月15日 23:59:59" in page

    clock.at = EXTENDED - datetime.timedelta(minutes=5)  # days later: a new sitting, a new log-in
    unit_web = logged_in(applicant, password)
    applications = unit_web.get(reverse("applications:list")).content.decode()
    assert reverse("applications:start", kwargs={"call_slug": call.slug}) in applications
    assert "本单位延期提交截止时间" in applications
    submit_url = reverse("applications:submit", args=[ready_draft.public_id])
    token = unit_web.csrf_token(submit_url)
    clock.at = EXTENDED.replace(microsecond=999000)
    assert unit_web.client.post(submit_url, {"csrfmiddlewaretoken": token}).status_code == 302
    assert Application.objects.get(pk=ready_draft.pk).status == ApplicationStatus.SUBMITTED

    reviewer = logged_in(county_reviewer, password)
    detail = reviewer.get(reverse("applications:detail", args=[ready_draft.public_id])).content.decode()
    assert "延期提交" in detail and "12月8日晚平台故障" in detail and "系统故障" in detail


def test_the_submit_page_refuses_the_first_millisecond_after_the_extension(
    call, ready_draft, applicant, admin, password, clock
):
    grant(call, ready_draft.unit, admin)
    clock.at = EXTENDED - datetime.timedelta(minutes=5)
    unit_web = logged_in(applicant, password)
    submit_url = reverse("applications:submit", args=[ready_draft.public_id])
    token = unit_web.csrf_token(submit_url)
    clock.at = NEXT_DAY
    response = unit_web.client.post(submit_url, {"csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert LATE_MESSAGE in response.content.decode()


def test_a_refused_grant_shows_why_on_the_form(call, unit, admin, password, clock):
    web = logged_in(admin, password)
    response = web.post(page_url(call), grant_form(unit, day="2022-12-08"))
    assert response.status_code == 400
    assert "须晚于申报通知规定的截止时间" in response.content.decode()
    unknown = web.post(page_url(call), grant_form(unit, credit_code="91140500000000000X"))
    assert "未找到该统一社会信用代码的单位" in unknown.content.decode()
    assert not DeadlineExtension.objects.exists()


def test_the_administrator_revokes_through_the_page(call, unit, admin, password, clock):
    extension = grant(call, unit, admin)
    web = logged_in(admin, password)
    url = reverse("calls:extension_revoke", kwargs={"slug": call.slug, "public_id": extension.public_id})
    response = web.post(url, {"comment": "单位已按时提交纸质材料"}, form_url=page_url(call))
    assert response.status_code == 302
    assert DeadlineExtension.objects.get(pk=extension.pk).state == ExtensionState.REVOKED


def test_another_citys_administrator_and_the_unit_get_404(call, applicant, password, clock):
    assert logged_in(other_city_call_admin(), password).get(page_url(call)).status_code == 404
    assert logged_in(applicant, password).get(page_url(call)).status_code == 404
