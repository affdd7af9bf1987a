"""Publishing a notice: the period from the calendar, the per-unit report, refusals before anything is written."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shenbao.applications.models import Application
from shenbao.applications.workflow import ApplicationStatus
from shenbao.calls.models import Call
from shenbao.notices.calendar import CalendarUnknownError
from shenbao.notices.models import NoticeEntry, PublicNotice
from shenbao.notices.selectors import CLOSED, OPEN, UPCOMING, get_notice_for_application, get_notice_status
from shenbao.notices.services import compute_notice_period, publish_notice
from shenbao.opinions.models import OpinionRequest
from tests.applications.builders import BEIJING
from tests.factories import UserFactory

from .builders import END, PUBLISH_AT, START

D = datetime.date


def _publish(call, admin, start=START, at=PUBLISH_AT):
    return publish_notice(
        call=call,
        title="2022年市级技师工作站和技能人才培养基地拟授牌单位公示",
        body="",
        start_date=start,
        contact_name="郭大勇",
        contact_phone="2199488",
        contact_address="晋城市人力资源和社会保障局201室",
        user=admin,
        at=at,
    )


def test_publish_computes_and_stores_explicit_dates_and_puts_every_unit_in_notice(published):
    notice = published.notice
    assert (notice.start_date, notice.end_date) == (START, END)
    assert notice.working_days == 5 and notice.counting == Call.NoticeCounting.FIRST_DAY_COUNTS
    assert {app.status for app in published.published} == {ApplicationStatus.IN_NOTICE}
    assert notice.entries.count() == 2
    assert get_notice_for_application(application=published.first) == notice


@pytest.mark.django_db
def test_the_calls_counting_rule_is_used(call):
    call.notice_counting = Call.NoticeCounting.FIRST_DAY_EXCLUDED
    assert compute_notice_period(call=call, start_date=D(2022, 9, 29)).end_date == D(2022, 10, 11)
    call.notice_counting = Call.NoticeCounting.FIRST_DAY_COUNTS
    assert compute_notice_period(call=call, start_date=D(2022, 9, 29)).end_date == D(2022, 10, 10)


def test_a_unit_whose_opinions_are_incomplete_is_reported_and_left_out(call, call_admin, make_soliciting):
    ready = make_soliciting()
    waiting = make_soliciting(response=OpinionRequest.Response.PENDING)
    result = _publish(call, call_admin)
    assert [app.pk for app in result.published] == [ready.pk]
    [(refused, reasons)] = result.refused
    assert refused.pk == waiting.pk and "尚有部门未反馈意见" in reasons[0]
    assert Application.objects.get(pk=waiting.pk).status == ApplicationStatus.SOLICITING
    assert not NoticeEntry.objects.filter(application=waiting).exists()


def test_when_no_unit_can_be_published_no_notice_remains(call, call_admin, make_soliciting):
    make_soliciting(response=OpinionRequest.Response.PENDING)
    result = _publish(call, call_admin)
    assert result.notice is None and len(result.refused) == 1
    assert not PublicNotice.objects.exists()


def test_a_period_touching_an_unknown_year_is_refused_before_anything_is_written(call, call_admin, make_soliciting):
    application = make_soliciting()
    at = datetime.datetime(2026, 12, 28, 9, 0, tzinfo=BEIJING)
    with pytest.raises(CalendarUnknownError, match="2027年的节假日安排尚未录入"):
        _publish(call, call_admin, start=D(2026, 12, 28), at=at)
    assert not PublicNotice.objects.exists()
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.SOLICITING


def test_start_in_the_past_and_nothing_to_publish_are_refused(call, call_admin, make_soliciting):
    with pytest.raises(ValidationError, match="无可公示的单位"):
        _publish(call, call_admin)
    make_soliciting()
    with pytest.raises(ValidationError, match="不能早于今天"):
        _publish(call, call_admin, start=D(2022, 12, 18))


def test_only_the_call_admin_publishes(call, make_soliciting, reference):
    make_soliciting()
    with pytest.raises(PermissionDenied):
        _publish(call, UserFactory())


def test_status_is_derived_from_beijing_dates(published):
    notice = published.notice
    last_second_before = datetime.datetime(2022, 12, 18, 23, 59, 59, tzinfo=BEIJING)
    assert get_notice_status(notice=notice, at=last_second_before) == UPCOMING
    assert get_notice_status(notice=notice, at=datetime.datetime(2022, 12, 19, 0, 0, tzinfo=BEIJING)) == OPEN
    assert get_notice_status(notice=notice, at=datetime.datetime(2022, 12, 23, 23, 59, 59, tzinfo=BEIJING)) == OPEN
    assert get_notice_status(notice=notice, at=datetime.datetime(2022, 12, 24, 0, 0, tzinfo=BEIJING)) == CLOSED
    # 2022-12-23 16:00 UTC is already 12-24 00:00 in Beijing.
    assert get_notice_status(notice=notice, at=datetime.datetime(2022, 12, 23, 16, 0, tzinfo=datetime.UTC)) == CLOSED
