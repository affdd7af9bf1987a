"""The practice call (「演示」) of `seed_demo`: copied from the deployment's call with dates relative to today, its
demo applications in every state through 授牌, 拨付, 建设进展报告 and 评估验收, and public only where the
deployment shows practice calls (SHENBAO_SHOW_PRACTICE_CALLS)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from shenbao.acceptance.models import AcceptanceEvaluation, ProgressReport
from shenbao.accounts.demo import seed_demo
from shenbao.accounts.models import User
from shenbao.applications.models import Application
from shenbao.applications.workflow import ApplicationStatus as S
from shenbao.calls.demo import ensure_practice_call, practice_slug
from shenbao.calls.models import Call
from shenbao.funding.models import LedgerEntry
from tests.factories import load_call, load_jincheng_reference, seeded_demo
from tests.paths import JINCHENG_2022

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(db):
    load_jincheng_reference()
    return load_call(JINCHENG_2022)


def run_seed():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def practice_call():
    return Call.objects.get(slug=practice_slug(Call.objects.get(slug="jincheng-2022")))


def test_seed_demo_makes_a_marked_practice_call_open_today_with_every_state_idempotently(call):
    seeded_demo()
    counts = (Call.objects.count(), Application.objects.count(), LedgerEntry.objects.count())
    assert "本次新建0件" in run_seed()
    assert (Call.objects.count(), Application.objects.count(), LedgerEntry.objects.count()) == counts
    call = practice_call()
    today = timezone.localdate()
    assert call.is_practice
    assert call.title.startswith("【演示】")
    assert call.published_on < today
    assert call.is_open()
    assert timezone.localtime(call.submission_deadline).date() > today + datetime.timedelta(days=14)
    assert call.application_number_prefix != Call.objects.get(slug="jincheng-2022").application_number_prefix
    assert call.project_types.count() == 2
    statuses = set(Application.objects.filter(call=call).values_list("status", flat=True))
    assert {S.DRAFT, S.SUBMITTED, S.RETURNED, S.RECHECK, S.EXPERT_REVIEW, S.NOT_SELECTED, S.AWARDED} <= statuses
    # One selected unit's 公示 has ended and it waits for 授牌 (the administrator's 待办).
    waiting = Application.objects.get(call=call, status=S.IN_NOTICE)
    assert waiting.notice_entry.notice.end_date < today
    assert all(number.startswith("YS") for number in call.applications.values_list("number", flat=True))
    awarded = Application.objects.filter(call=call, status=S.AWARDED)
    assert awarded.count() == 2
    assert ProgressReport.objects.filter(application__call=call, status="accepted").count() >= 3
    evaluation = AcceptanceEvaluation.objects.get(application__call=call)
    assert evaluation.passed
    paid = LedgerEntry.objects.filter(record__application__call=call, kind=LedgerEntry.Kind.PAYMENT)
    # Both start-up instalments (40%) and the accepted unit's final one (60%).
    assert sorted(paid.values_list("instalment__code", flat=True)) == ["final", "startup", "startup"]
    today = timezone.localdate()
    assert all(day < today for day in paid.values_list("booked_on", flat=True))


def test_the_practice_call_is_public_with_its_badge_only_where_the_setting_is_on(call, settings):
    seed_demo(password=settings.SHENBAO_DEMO_PASSWORD)
    call, _created = ensure_practice_call(source=call, actor=User.objects.get(username="skills_admin"))
    browser = Client(enforce_csrf_checks=True)
    settings.SHENBAO_SHOW_PRACTICE_CALLS = False
    assert call.title not in browser.get("/").content.decode()
    assert browser.get(f"/calls/{call.slug}/").status_code == 404
    assert call.title not in browser.get("/calls/").content.decode()

    settings.SHENBAO_SHOW_PRACTICE_CALLS = True
    home = browser.get("/").content.decode()
    assert call.title in home
    assert "badge-practice" in home
    page = browser.get(f"/calls/{call.slug}/")
    assert page.status_code == 200
    assert "badge-practice" in page.content.decode()
