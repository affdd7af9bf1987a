"""The audit browser: only the audit administrator, filters, keyset pagination, detail and CSV export."""

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from auditlog.context import set_actor
from django.urls import reverse

from shenbao.accounts.roles import Role
from shenbao.audit.events import Event
from shenbao.audit.models import AuditEntry
from shenbao.audit.services import record_event
from shenbao.exports.models import ExportJob
from shenbao.organisations.models import Organisation
from tests.factories import GovernmentBodyFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
EXPORT_URL = reverse("exports:request", kwargs={"kind": "audit.entries"})
BEIJING = ZoneInfo("Asia/Shanghai")
OTHER_ROLES = [role for role in Role if role != Role.AUDIT_ADMIN]


def user_with(role, platform):
    organisation = {
        Role.APPLICANT: OrganisationFactory,
        Role.EXPERT: OrganisationFactory,
    }.get(role, lambda: GovernmentBodyFactory(function=_function_for(role)))()
    if role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN):
        organisation = platform
    return UserFactory(organisation=organisation, roles=[role])


def _function_for(role):
    return {
        Role.COUNTY_REVIEWER: Organisation.Function.COUNTY_HR_BUREAU,
        Role.DEPARTMENT_REVIEWER: Organisation.Function.COMPETENT_DEPARTMENT,
        Role.CITY_REVIEWER: Organisation.Function.CITY_HR_BUREAU,
        Role.CALL_ADMIN: Organisation.Function.CITY_SKILLS_OFFICE,
        Role.CONSULTED_DEPARTMENT: Organisation.Function.TAX_BUREAU,
    }.get(role, Organisation.Function.NONE)


def listed_ids(response):
    return [entry.pk for entry in response.context["page"].entries]


URL_NAMES = [("audit:list", None), ("audit:detail", "entry")]


def url_for(name, arg, entry):
    return reverse(name, args=[entry.pk]) if arg else reverse(name)


@pytest.mark.parametrize(("name", "arg"), URL_NAMES)
def test_the_audit_admin_may_open_every_page(admin_client, name, arg):
    entry = record_event(event="test_event")
    assert admin_client.get(url_for(name, arg, entry)).status_code == 200


@pytest.mark.parametrize("role", OTHER_ROLES)
@pytest.mark.parametrize(("name", "arg"), URL_NAMES)
def test_every_other_role_gets_404(client, platform, role, name, arg):
    entry = record_event(event="test_event")
    client.force_login(user_with(role, platform))
    assert client.get(url_for(name, arg, entry)).status_code == 404


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_every_other_role_gets_404_for_the_export(client, platform, role):
    client.force_login(user_with(role, platform))
    assert client.post(EXPORT_URL, {"event": "login"}).status_code == 404
    assert not ExportJob.objects.exists()


def test_the_export_is_asked_for_with_a_post(admin_client):
    assert admin_client.get(EXPORT_URL).status_code == 405


def test_a_superuser_without_the_role_gets_404(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(reverse("audit:list")).status_code == 404


def test_a_deactivated_audit_admin_is_not_let_in(client, audit_admin):
    client.force_login(audit_admin)
    audit_admin.is_active = False
    audit_admin.save()
    assert client.get(reverse("audit:list")).status_code == 302


@pytest.mark.parametrize(("name", "arg"), URL_NAMES)
def test_anonymous_visitors_are_sent_to_log_in(client, name, arg):
    entry = record_event(event="test_event")
    response = client.get(url_for(name, arg, entry))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_list_is_newest_first_and_shows_chinese_labels(admin_client):
    first = record_event(event=Event.LOGIN_FAILED, result="failure", details={"username": "zhangsan"})
    second = record_event(event="test_event")
    response = admin_client.get(reverse("audit:list"))
    ids = listed_ids(response)
    assert ids.index(second.pk) < ids.index(first.pk)
    content = response.content.decode()
    assert "审计日志" in content
    assert "登录失败" in content
    assert "zhangsan" in content


def test_filter_by_actor_matches_acts_and_failed_log_ins_with_that_name(admin_client):
    actor = UserFactory(username="lisi")
    acted = record_event(event="test_event", actor=actor)
    attempted = record_event(event=Event.LOGIN_FAILED, result="failure", details={"username": "lisi"})
    other = record_event(event="test_event", actor=UserFactory(username="wangwu"))

    ids = listed_ids(admin_client.get(reverse("audit:list"), {"actor": "lisi"}))

    assert acted.pk in ids and attempted.pk in ids
    assert other.pk not in ids


def test_filter_by_actor_keeps_the_order_and_the_other_filters(admin_client):
    actor = UserFactory(username="zhaoliu")
    older = record_event(event="test_event", actor=actor)
    attempted = record_event(event=Event.LOGIN_FAILED, result="failure", details={"username": "zhaoliu"})
    newer = record_event(event="test_event", actor=actor)

    assert listed_ids(admin_client.get(reverse("audit:list"), {"actor": "zhaoliu"}))[:3] == [
        newer.pk,
        attempted.pk,
        older.pk,
    ]
    only_failures = listed_ids(admin_client.get(reverse("audit:list"), {"actor": "zhaoliu", "result": "failure"}))
    assert only_failures == [attempted.pk]


def test_filter_by_event_result_and_ip(admin_client):
    login = record_event(event=Event.LOGIN, remote_addr="203.0.113.1")
    failed = record_event(event=Event.LOGIN_FAILED, result="failure", remote_addr="203.0.113.2")

    # The admin's own force_login is a login event too.
    by_event = listed_ids(admin_client.get(reverse("audit:list"), {"event": "login"}))
    assert login.pk in by_event and failed.pk not in by_event
    assert listed_ids(admin_client.get(reverse("audit:list"), {"result": "failure"})) == [failed.pk]
    assert listed_ids(admin_client.get(reverse("audit:list"), {"remote_addr": "203.0.113.2"})) == [failed.pk]


def test_filter_by_object_type_and_id(admin_client):
    with set_actor(UserFactory()):
        organisation = OrganisationFactory()
    entries = AuditEntry.objects.filter(object_pk=str(organisation.pk), content_type__model="organisation")
    response = admin_client.get(
        reverse("audit:list"), {"object_type": "organisations.organisation", "object_id": organisation.pk}
    )
    assert listed_ids(response) == list(entries.order_by("-timestamp", "-id").values_list("pk", flat=True))
    assert listed_ids(response)


def test_filter_by_beijing_dates_is_inclusive_and_uses_beijing_midnight(admin_client):
    def at(*args):
        return AuditEntry.objects.create(
            event="test_event", action=3, object_pk="", timestamp=dt.datetime(*args, tzinfo=BEIJING)
        )

    before = at(2025, 3, 31, 23, 59, 59)
    start = at(2025, 4, 1, 0, 0, 0)  # 2025-03-31 16:00 UTC: still 1 April in Beijing
    end = at(2025, 4, 2, 23, 59, 59)
    after = at(2025, 4, 3, 0, 0, 0)

    ids = listed_ids(admin_client.get(reverse("audit:list"), {"date_from": "2025-04-01", "date_to": "2025-04-02"}))

    assert set(ids) == {start.pk, end.pk}
    assert before.pk not in ids and after.pk not in ids


def test_an_invalid_filter_shows_the_error_and_no_entries(admin_client):
    record_event(event="test_event")
    response = admin_client.get(reverse("audit:list"), {"date_from": "2025-04-02", "date_to": "2025-04-01"})
    assert response.status_code == 200
    assert listed_ids(response) == []
    assert "结束日期不能早于开始日期" in response.content.decode()


def test_keyset_pages_walk_all_entries_without_gaps_or_repeats(admin_client, settings):
    settings.PAGE_SIZE = 3
    moment = dt.datetime(2025, 5, 1, 12, tzinfo=BEIJING)
    # Several entries share one timestamp, so the id has to break the tie.
    created = [
        AuditEntry.objects.create(
            event="test_event", action=3, object_pk="", timestamp=moment - dt.timedelta(seconds=i // 2)
        )
        for i in range(8)
    ]
    expected = [entry.pk for entry in sorted(created, key=lambda e: (e.timestamp, e.pk), reverse=True)]

    seen, pages, params = [], [], {"event": "test_event"}
    while True:
        page = admin_client.get(reverse("audit:list"), params).context["page"]
        pages.append(page)
        seen += [entry.pk for entry in page.entries]
        if not page.older_cursor:
            break
        params = {"event": "test_event", "after": page.older_cursor}
    assert seen == expected
    assert [len(page.entries) for page in pages] == [3, 3, 2]

    back = admin_client.get(reverse("audit:list"), {"event": "test_event", "before": pages[2].newer_cursor})
    assert listed_ids(back) == expected[3:6]


def test_a_malformed_cursor_gives_the_first_page(admin_client):
    entry = record_event(event="test_event")
    assert entry.pk in listed_ids(admin_client.get(reverse("audit:list"), {"after": "nonsense"}))


# The whole page's queries, exactly: the same with one row as with many, so a fixed extra query fails too.
LIST_QUERIES = 6


def test_list_query_count_does_not_grow_with_entries(admin_client, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count_queries():
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(reverse("audit:list")).status_code == 200
        return len(captured)

    with set_actor(UserFactory()):
        OrganisationFactory()
    few = count_queries()
    for i in range(30):
        actor = UserFactory()
        record_event(event=Event.LOGIN, actor=actor, target=actor, remote_addr=f"203.0.113.{i}")
        with set_actor(actor):
            OrganisationFactory()
    assert AuditEntry.objects.count() > 60
    assert (few, count_queries()) == (LIST_QUERIES, LIST_QUERIES)


def test_detail_shows_the_change_set(admin_client):
    with set_actor(UserFactory(username="zhaoliu")):
        organisation = OrganisationFactory(name="晋城市甲有限公司")
        organisation.name = "晋城市乙有限公司"
        organisation.save()
    entry = AuditEntry.objects.get(event="update", object_pk=str(organisation.pk), content_type__model="organisation")

    content = admin_client.get(reverse("audit:detail", args=[entry.pk])).content.decode()

    assert "单位名称" in content
    assert "晋城市甲有限公司" in content and "晋城市乙有限公司" in content
    assert "zhaoliu" in content


def test_detail_of_a_missing_entry_is_404(admin_client):
    assert admin_client.get(reverse("audit:detail", args=[987654321])).status_code == 404


def export(client, capture, data, **extra):
    """Ask for the export as the page's button does, let the task worker build it, and take the file."""
    with capture(execute=True):
        response = client.post(EXPORT_URL, data, **extra)
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("exports:detail", kwargs={"public_id": job.public_id})
    return client.get(reverse("exports:download", kwargs={"public_id": job.public_id}), **extra)


def read_csv(response):
    body = b"".join(response.streaming_content)
    return body, list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_export_is_utf8_with_bom_in_chinese_and_follows_the_filter(admin_client, django_capture_on_commit_callbacks):
    actor = UserFactory()
    with set_actor(actor):
        organisation = OrganisationFactory(name="=晋城市丙有限公司")
    record_event(event=Event.LOGIN_FAILED, result="failure", details={"username": "zhangsan"})

    response = export(
        admin_client,
        django_capture_on_commit_callbacks,
        {"object_type": "organisations.organisation", "object_id": organisation.pk},
    )

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body, rows = read_csv(response)
    assert body.startswith("\ufeff".encode())
    assert rows[0][0] == "时间（北京时间）"
    assert len(rows) == 2
    assert rows[1][1:4] == [actor.full_name, actor.username, "新增"]
    assert rows[1][6] == "单位"
    # A leading "=" would be a formula in Excel.
    assert rows[1][8] == "'=晋城市丙有限公司"


def test_the_export_itself_is_audited(admin_client, audit_admin, django_capture_on_commit_callbacks):
    top = record_event(event="test_event").pk
    export(admin_client, django_capture_on_commit_callbacks, {"event": "login"}, REMOTE_ADDR="198.51.100.40")
    asked = AuditEntry.objects.get(event=Event.EXPORT_REQUEST)
    assert asked.actor == audit_admin
    assert asked.remote_addr == "198.51.100.40"
    assert asked.additional_data == {
        "kind": "audit.entries",
        "params": {"query": {"event": "login"}, "upto": top, "language": "zh-hans"},
    }
    taken = AuditEntry.objects.get(event=Event.EXPORT_DOWNLOAD)
    # The signed-in session's log-in is the one "login" entry up to the request.
    assert (
        taken.actor == audit_admin and taken.additional_data["rows"] == AuditEntry.objects.filter(event="login").count()
    )


def test_an_invalid_export_filter_is_refused(admin_client):
    response = admin_client.post(EXPORT_URL, {"remote_addr": "not-an-ip"})
    assert response.status_code == 400
    assert not ExportJob.objects.exists()
    assert not AuditEntry.objects.filter(event=Event.EXPORT_REQUEST).exists()


def test_a_superuser_without_the_role_cannot_ask_for_the_export(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.post(EXPORT_URL, {"event": "login"}).status_code == 404
    assert not ExportJob.objects.exists()
