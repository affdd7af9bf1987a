"""Pages: public notice pages without log-in, the objection form, the administrator's pages (others: 404)."""

import contextlib
import datetime
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shenbao.accounts.roles import Role
from shenbao.applications.models import Application
from shenbao.applications.workflow import ApplicationStatus
from shenbao.audit.models import AuditEntry
from shenbao.notices.models import CalendarDay, CalendarYear, Objection, PublicNotice
from tests.applications.builders import BEIJING, make_id_number
from tests.factories import UserFactory

WITHIN = datetime.datetime(2022, 12, 21, 10, 0, tzinfo=BEIJING)
DAY_AFTER = datetime.datetime(2022, 12, 24, 0, 0, 0, tzinfo=BEIJING)


@contextlib.contextmanager
def frozen(at):
    """The pages read the clock through django.utils.timezone.now; pin it to `at` (no time library installed)."""
    with mock.patch.object(timezone, "now", return_value=at):
        yield


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()


def _objection_post(published, **overrides):
    entry = published.notice.entries.get(application=published.first)
    return {
        "entry": str(entry.public_id),
        "filer_kind": "person",
        "filer_name": "王五",
        "id_number": make_id_number(8),
        "contact_phone": "13800000000",
        "content": "该单位申报材料中的技师人数与实际不符，请核查。",
        **overrides,
    }


def test_public_pages_need_no_log_in(client, published):
    notice = published.notice
    with frozen(WITHIN):
        listing = client.get(reverse("notices:public_list"))
        detail = client.get(reverse("notices:public_detail", kwargs={"public_id": notice.public_id}))
        form = client.get(reverse("notices:object", kwargs={"public_id": notice.public_id}))
    assert listing.status_code == 200 and notice.title in listing.text
    assert detail.status_code == 200
    for text in ("2022年12月19日至2022年12月23日", "晋城市精工机械有限公司", "阳城县", "市级技师工作站", "郭大勇"):
        assert text in detail.text
    assert form.status_code == 200 and "提交异议" in form.text


def test_an_upcoming_notice_is_not_public(client, published):
    with frozen(datetime.datetime(2022, 12, 18, 12, 0, tzinfo=BEIJING)):
        detail = client.get(reverse("notices:public_detail", kwargs={"public_id": published.notice.public_id}))
    assert detail.status_code == 404


def test_filing_through_the_form_gives_a_receipt(client, published):
    url = reverse("notices:object", kwargs={"public_id": published.notice.public_id})
    with frozen(WITHIN):
        response = client.post(url, _objection_post(published), follow=True)
    objection = Objection.objects.get()
    assert response.status_code == 200 and objection.receipt_number in response.text


def test_the_form_refuses_anonymous_and_late_objections_with_the_reason(client, published):
    url = reverse("notices:object", kwargs={"public_id": published.notice.public_id})
    with frozen(WITHIN):
        anonymous = client.post(url, _objection_post(published, filer_name=""))
    assert anonymous.status_code == 400 and "匿名异议不予受理" in anonymous.text
    with frozen(DAY_AFTER):
        late_page = client.get(url)
        late = client.post(url, _objection_post(published))
    assert "公示期已于2022年12月23日24时结束，异议不予受理" in late_page.text
    assert late.status_code == 400 and "异议不予受理" in late.text
    assert not Objection.objects.exists()


def test_the_form_refuses_disguised_evidence_naming_the_file_and_audits_it(client, published):
    url = reverse("notices:object", kwargs={"public_id": published.notice.public_id})
    disguised = SimpleUploadedFile("证明\u202e.pdf", b"MZ\x90\x00" + b"\x00" * 100, content_type="application/pdf")
    with frozen(WITHIN):
        response = client.post(url, {**_objection_post(published), "evidence": disguised})
    assert response.status_code == 400
    assert "「证明.pdf」：文件内容不是PDF/JPG/PNG/DOCX，系统识别为DOS可执行程序，已拒绝" in response.text
    assert not Objection.objects.exists()
    refusal = AuditEntry.objects.get(event="notice:objection", result=AuditEntry.Result.FAILURE)
    assert refusal.additional_data["original_name"] == "证明.pdf"


@pytest.mark.parametrize(
    "name",
    [
        "notices:calendar",
        "notices:calendar_import",
        "notices:list",
        "notices:publish",
        "notices:objections",
    ],
)
def test_admin_pages_call_admin_200_other_roles_404(client, call_admin, reference, name):
    client.force_login(call_admin)
    assert client.get(reverse(name)).status_code == 200
    for role in (Role.APPLICANT, Role.CITY_REVIEWER, Role.AUDIT_ADMIN):
        client.force_login(UserFactory(roles=[role]) if role != Role.APPLICANT else UserFactory())
        assert client.get(reverse(name)).status_code == 404


def test_the_system_admin_maintains_the_calendar_but_not_notices(client, reference):
    from shenbao.organisations.models import Organisation

    platform = Organisation.objects.get(kind=Organisation.Kind.PLATFORM)
    admin = UserFactory(organisation=platform, roles=[Role.SYSTEM_ADMIN])
    client.force_login(admin)
    assert client.get(reverse("notices:calendar")).status_code == 200
    assert client.get(reverse("notices:list")).status_code == 404


def test_admin_detail_pages(client, call_admin, published):
    objection_url = None
    with frozen(WITHIN):
        client.post(
            reverse("notices:object", kwargs={"public_id": published.notice.public_id}), _objection_post(published)
        )
        objection_url = reverse("notices:objection_detail", kwargs={"public_id": Objection.objects.get().public_id})
    client.force_login(call_admin)
    detail = client.get(reverse("notices:detail", kwargs={"public_id": published.notice.public_id}))
    assert detail.status_code == 200 and "晋城市精工机械有限公司" in detail.text
    page = client.get(objection_url)
    assert page.status_code == 200 and "140502********" in page.text  # the ID number is masked
    response = client.post(
        objection_url, {"decision": "upheld", "investigation_note": "经核实属实。", "reply": "异议成立。"}
    )
    assert response.status_code == 302
    assert Application.objects.get(pk=published.first.pk).status == ApplicationStatus.OBJECTION_UPHELD
    other = UserFactory(roles=[Role.CITY_REVIEWER])
    client.force_login(other)
    assert client.get(objection_url).status_code == 404


def test_calendar_import_preview_then_confirm(client, call_admin):
    client.force_login(call_admin)
    url = reverse("notices:calendar_import")
    data = {
        "year": "2027",
        "text": "2027-01-01~2027-01-03 休 元旦\n2027-02-14 班 春节调休",
        "source": "国务院办公厅关于2027年部分节假日安排的通知",
        "mark_complete": "on",
    }
    preview = client.post(url, {**data, "action": "preview"})
    assert preview.status_code == 200 and "确认导入" in preview.text
    assert not CalendarDay.objects.exists()
    bad = client.post(url, {**data, "text": "2027-01-01 休 元旦\n2027-13-01 休 x", "action": "confirm"})
    assert "第2行：日期无效" in bad.text and not CalendarDay.objects.exists()
    confirmed = client.post(url, {**data, "action": "confirm"})
    assert confirmed.status_code == 302
    assert CalendarDay.objects.count() == 4 and CalendarYear.objects.get(year=2027).complete
    overview = client.get(reverse("notices:calendar") + "?year=2027")
    assert overview.status_code == 200 and "春节调休" in overview.text


def test_publish_page_previews_dates_then_publishes(client, call, call_admin, make_soliciting):
    make_soliciting()
    client.force_login(call_admin)
    data = {
        "call": call.slug,
        "title": "2022年市级技师工作站和技能人才培养基地拟授牌单位公示",
        "start_date": "2022-12-19",
        "body": "",
        "contact_name": "郭大勇",
        "contact_phone": "2199488",
        "contact_address": "晋城市人力资源和社会保障局201室",
    }
    with frozen(datetime.datetime(2022, 12, 19, 9, 0, tzinfo=BEIJING)):
        preview = client.post(reverse("notices:publish"), {**data, "action": "preview"})
        assert "公示期为2022年12月19日至2022年12月23日" in preview.text
        assert not PublicNotice.objects.exists()
        response = client.post(reverse("notices:publish"), {**data, "action": "confirm"})
    notice = PublicNotice.objects.get()
    assert response.status_code == 302 and notice.end_date == datetime.date(2022, 12, 23)


# The whole page's queries, exactly: the same with one row as with many, so a fixed extra query fails too.
# public notice, public list, objections (administrator).
PAGE_QUERIES = [7, 7, 8]


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_query_counts_do_not_grow_with_rows(client, call_admin, published, make_soliciting):
    public_url = reverse("notices:public_detail", kwargs={"public_id": published.notice.public_id})
    list_url = reverse("notices:public_list")
    with frozen(WITHIN):
        client.post(
            reverse("notices:object", kwargs={"public_id": published.notice.public_id}), _objection_post(published)
        )
        client.force_login(call_admin)
        one = [_count_queries(client, url) for url in (public_url, list_url, reverse("notices:objections"))]
        # More units on the notice, more notices, more objections.
        notice = published.notice
        for n in range(3):
            application = make_soliciting()
            Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.IN_NOTICE)
            notice.entries.create(application=application, sort_order=10 + n)
        for n in range(3):
            PublicNotice.objects.create(
                call=notice.call,
                title=f"公示{n}",
                start_date=notice.start_date,
                end_date=notice.end_date,
                working_days=5,
                counting=notice.counting,
                contact_name="x",
                contact_phone="1",
                contact_address="y",
                published_by=call_admin,
                published_at=WITHIN,
            )
        for _ in range(3):
            client.post(
                reverse("notices:object", kwargs={"public_id": published.notice.public_id}), _objection_post(published)
            )
        many = [_count_queries(client, url) for url in (public_url, list_url, reverse("notices:objections"))]
    assert Objection.objects.count() == 4
    assert (one, many) == (PAGE_QUERIES, PAGE_QUERIES)
