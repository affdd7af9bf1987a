"""Notifications are letters in the working language (`LANGUAGE_CODE`): whatever page the actor used, and through
the English catalogue when a deployment works in English (issue 14, point 6)."""

import datetime

import pytest
from django.utils import translation

from shenbao.applications.services import fire_transition
from shenbao.notifications.messages import in_working_language, reminder_body, reminder_title
from shenbao.notifications.models import Notification
from tests.applications.builders import IN_TIME
from tests.core.catalogue import compile_english_catalogue

from .builders import REASON

pytestmark = pytest.mark.django_db
UNIT = "晋城市精工机械有限公司"


@pytest.fixture
def catalogue(settings, tmp_path):
    settings.LOCALE_PATHS = [compile_english_catalogue(tmp_path)]
    translation.trans_real._translations = {}  # the catalogue of the new LOCALE_PATHS, not a cached one
    yield settings
    translation.trans_real._translations = {}


def test_an_actor_on_an_english_page_still_writes_chinese_letters(catalogue, ready_draft, applicant, county_reviewer):
    with translation.override("en"):
        application = fire_transition(application=ready_draft, name="submit", actor=applicant, at=IN_TIME)

    letter = Notification.objects.get(recipient=county_reviewer)
    assert letter.title == f"提交申报：{application.number}"
    assert letter.body == f"申报 {application.number}（{UNIT}）已提交，等待资格初审。请进行资格初审。"


def test_a_deployment_working_in_english_writes_english_letters(catalogue, submitted, applicant, county_reviewer):
    catalogue.LANGUAGE_CODE = "en"
    fire_transition(
        application=submitted,
        name="return_for_revision",
        actor=county_reviewer,
        comment=REASON,
        payload={"resubmission_due": "2022-12-20"},
        at=IN_TIME,
    )

    letter = Notification.objects.get(recipient=applicant, event="workflow:return_for_revision")
    assert letter.title == f"Returned for revision: {submitted.number}"
    assert letter.body == (
        f"Application {submitted.number} ({UNIT}): returned for revision: {REASON}. Revisions due: 2022/12/20."
        " Please revise the application as the comments ask and resubmit it before the revision deadline."
    )


@pytest.mark.parametrize(
    ("days_left", "when"),
    [(3, "due in 3 days"), (1, "due tomorrow"), (0, "due today"), (-2, "2 days overdue")],
)
def test_reminders_in_english(catalogue, submitted, days_left, when):
    catalogue.LANGUAGE_CODE = "en"
    due = datetime.date(2022, 12, 20)
    with translation.override("zh-hans"), in_working_language():
        title = reminder_title(kind="resubmission", application=submitted)
        body = reminder_body(kind="resubmission", application=submitted, due_date=due, days_left=days_left)
    assert title == f"Revisions due: {submitted.number}"
    assert body == (
        f"Revisions of Application {submitted.number} ({UNIT}): {when} (deadline: 2022/12/20). Please revise and "
        "resubmit before the deadline; after it the application can no longer be resubmitted."
    )
