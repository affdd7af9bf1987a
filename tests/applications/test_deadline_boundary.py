"""四: the deadline's last second is in time to its last millisecond, through the service and the submit page.

The call file says `deadline: 2022-12-08T23:59:59+08:00`, meaning the whole of 8 December; a submission at
23:59:59.999 Beijing time is in time, one at 00:00:00.000 on the 9th is late.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from shenbao.applications.models import Application
from shenbao.applications.services import fire_transition
from shenbao.applications.workflow import ApplicationStatus
from tests.web import WebUser

from .builders import BEIJING

pytestmark = pytest.mark.django_db

LAST_SECOND = datetime.datetime(2022, 12, 8, 23, 59, 59, tzinfo=BEIJING)
LATE_MESSAGE = "本次申报已于2022年12月08日 23:59:59（北京时间）截止"
IN_TIME = [LAST_SECOND, LAST_SECOND.replace(microsecond=500000), LAST_SECOND.replace(microsecond=999000)]
LATE = [datetime.datetime(2022, 12, 9, 0, 0, 0, tzinfo=BEIJING), datetime.datetime(2022, 12, 9, 0, 0, 0, 1000, BEIJING)]


def ids(moments):
    return [moment.strftime("%H:%M:%S.%f")[:-3] for moment in moments]


@pytest.mark.parametrize("at", IN_TIME, ids=ids(IN_TIME))
def test_a_submission_inside_the_last_second_is_accepted(ready_draft, applicant, at):
    submitted = fire_transition(application=ready_draft, name="submit", actor=applicant, at=at)
    assert submitted.status == ApplicationStatus.SUBMITTED


@pytest.mark.parametrize("at", LATE, ids=ids(LATE))
def test_a_submission_from_the_next_day_is_refused_with_the_deadline_as_users_read_it(ready_draft, applicant, at):
    with pytest.raises(ValidationError) as refusal:
        fire_transition(application=ready_draft, name="submit", actor=applicant, at=at)
    assert any(LATE_MESSAGE in message for message in refusal.value.messages)


@pytest.fixture
def clock(monkeypatch):
    """The server's clock (an outside service) set by the test: `clock.at = …`."""

    class Clock:
        at = LAST_SECOND - datetime.timedelta(minutes=5)

    monkeypatch.setattr(timezone, "now", lambda: Clock.at)
    return Clock


def submit_through_the_page(ready_draft, applicant, password, clock, at):
    browser = WebUser()
    browser.log_in(applicant.username, password)
    url = reverse("applications:submit", args=[ready_draft.public_id])
    token = browser.csrf_token(url)  # the page is opened before the deadline, the button pressed at `at`
    clock.at = at
    return browser.client.post(url, {"csrfmiddlewaretoken": token})


@pytest.mark.parametrize("at", [IN_TIME[0], IN_TIME[-1]], ids=ids([IN_TIME[0], IN_TIME[-1]]))
def test_the_submit_page_accepts_the_last_millisecond(ready_draft, applicant, password, clock, at):
    response = submit_through_the_page(ready_draft, applicant, password, clock, at)
    assert response.status_code == 302
    assert Application.objects.get(pk=ready_draft.pk).status == ApplicationStatus.SUBMITTED


def test_the_submit_page_refuses_the_first_millisecond_of_the_next_day(ready_draft, applicant, password, clock):
    response = submit_through_the_page(ready_draft, applicant, password, clock, LATE[0])
    assert response.status_code == 200
    assert LATE_MESSAGE in response.content.decode()
    assert Application.objects.get(pk=ready_draft.pk).status == ApplicationStatus.DRAFT


# --- The submission's time is when the request arrived (nginx's X-Request-Start, observability.choose_arrival) ---

PROXY = "192.0.2.1"


def stamp(moment):
    """nginx's `t=${msec}`: seconds since the epoch with milliseconds."""
    return f"t={moment.timestamp():.3f}"


def submit_behind_the_proxy(ready_draft, applicant, password, clock, *, arrived, answered, peer=PROXY):
    browser = WebUser(remote_addr=peer)
    browser.log_in(applicant.username, password)
    url = reverse("applications:submit", args=[ready_draft.public_id])
    token = browser.csrf_token(url)
    clock.at = answered  # a worker and the row lock were free only then
    return browser.client.post(url, {"csrfmiddlewaretoken": token}, HTTP_X_REQUEST_START=stamp(arrived))


def test_a_submission_that_arrived_in_the_last_millisecond_is_in_time_when_answered_after_the_deadline(
    ready_draft, applicant, password, clock, settings
):
    settings.AUDIT_TRUSTED_PROXIES = [PROXY]
    arrived = IN_TIME[-1]
    response = submit_behind_the_proxy(
        ready_draft, applicant, password, clock, arrived=arrived, answered=LATE[0] + datetime.timedelta(seconds=3)
    )
    assert response.status_code == 302
    submitted = Application.objects.get(pk=ready_draft.pk)
    assert submitted.status == ApplicationStatus.SUBMITTED
    assert submitted.submitted_at == arrived  # the time the unit is told, and the version's


@pytest.mark.parametrize(
    ("peer", "arrived", "answered"),
    [
        # The first late millisecond, stamped by the proxy: late however soon it is answered.
        (PROXY, LATE[0], LATE[0] + datetime.timedelta(milliseconds=1)),
        # Not our proxy: anyone could send the header, so the request arrived when it was answered.
        ("198.51.100.7", IN_TIME[-1], LATE[0] + datetime.timedelta(seconds=3)),
        # A stamp older than a minute is not believed (a clock that jumped, a replayed header).
        (PROXY, IN_TIME[-1], IN_TIME[-1] + datetime.timedelta(seconds=61)),
    ],
    ids=["first-late-millisecond", "untrusted-peer", "older-than-a-minute"],
)
def test_a_submission_is_late_when_it_arrived_late_or_its_stamp_is_not_believed(
    ready_draft, applicant, password, clock, settings, peer, arrived, answered
):
    settings.AUDIT_TRUSTED_PROXIES = [PROXY]
    response = submit_behind_the_proxy(
        ready_draft, applicant, password, clock, arrived=arrived, answered=answered, peer=peer
    )
    assert response.status_code == 200
    assert LATE_MESSAGE in response.content.decode()
    assert Application.objects.get(pk=ready_draft.pk).status == ApplicationStatus.DRAFT


def test_a_stamp_from_the_future_is_not_the_submission_time(ready_draft, applicant, password, clock, settings):
    settings.AUDIT_TRUSTED_PROXIES = [PROXY]
    answered = IN_TIME[0]
    response = submit_behind_the_proxy(
        ready_draft, applicant, password, clock, arrived=answered + datetime.timedelta(seconds=10), answered=answered
    )
    assert response.status_code == 302
    assert Application.objects.get(pk=ready_draft.pk).submitted_at == answered
