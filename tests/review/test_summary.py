"""初审汇总表: each body's latest decisions per call in the reader's scope, paged, with its XLSX as an export job."""

import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from shenbao.applications.services import fire_transition
from shenbao.exports.models import ExportJob
from shenbao.review import views
from tests.web import WebUser

from .builders import AFTER, pass_first_review, queue_queries, summary_export

SUMMARY_QUERIES = 9  # with the page's count (the summary is paginated: a large call has thousands of rows)


@pytest.fixture
def decided(make_submitted, county_reviewer, reference):
    from .builders import staff

    passed = pass_first_review(make_submitted(name="晋城市通过机械有限公司"), county_reviewer)
    returned = make_submitted(name="晋城市补正机械有限公司")
    from shenbao.review.services import decide_first_review

    decide_first_review(
        application=returned,
        user=county_reviewer,
        decision="return",
        comment="请补充证书。",
        resubmission_due="2022-12-20",
        at=AFTER,
    )
    yangcheng = make_submitted(region="140522", name="阳城县通过机械有限公司")
    pass_first_review(yangcheng, staff("阳城县人力资源和社会保障局", "county_reviewer"))
    return passed, returned, yangcheng


def test_the_summary_lists_the_citys_decisions_per_body(client, decided, hr_reviewer, call):
    client.force_login(hr_reviewer)
    response = client.get(reverse("review:first_review_summary"), {"call": call.slug})
    rows = response.context["rows"]
    assert [(row["body"], row["unit"], row["decision"]) for row in rows] == [
        ("晋城市城区人力资源和社会保障局", "晋城市通过机械有限公司", "通过"),
        ("晋城市城区人力资源和社会保障局", "晋城市补正机械有限公司", "退回修改"),
        ("阳城县人力资源和社会保障局", "阳城县通过机械有限公司", "通过"),
    ]
    assert rows[0]["county"] == "城区" and rows[2]["county"] == "阳城县"
    assert rows[0]["recommendation"] == "同意推荐。" and rows[1]["recommendation"] == "请补充证书。"
    assert rows[0]["date"] == "2022-12-06" and rows[0]["project_type"] == "市级技师工作站"
    assert "review/summary.css" in response.content.decode()


def test_a_county_bureau_sees_only_its_own_rows(client, decided, county_reviewer, call):
    client.force_login(county_reviewer)
    rows = client.get(reverse("review:first_review_summary"), {"call": call.slug}).context["rows"]
    assert {row["unit"] for row in rows} == {"晋城市通过机械有限公司", "晋城市补正机械有限公司"}


def test_a_resubmitted_and_passed_application_shows_only_its_latest_decision(
    client, decided, applicant, county_reviewer, hr_reviewer, call
):
    _passed, returned, _yangcheng = decided
    applicant_of_returned = returned.created_by
    resubmitted = fire_transition(application=returned, name="resubmit", actor=applicant_of_returned, at=AFTER)
    pass_first_review(resubmitted, county_reviewer)
    client.force_login(hr_reviewer)
    rows = client.get(reverse("review:first_review_summary"), {"call": call.slug}).context["rows"]
    assert [row["decision"] for row in rows if row["unit"] == "晋城市补正机械有限公司"] == ["通过"]


def test_the_summary_exports_an_xlsx_with_the_rows(
    decided, call_admin_user, call, password, django_capture_on_commit_callbacks
):
    web = WebUser()
    web.log_in(call_admin_user.username, password)
    job, content = summary_export(web, django_capture_on_commit_callbacks, call)
    assert job.content_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert job.filename == f"first-review-summary-{call.slug}.xlsx" and job.rows_total == job.rows_written == 3
    sheet = load_workbook(io.BytesIO(content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0].endswith("资格初审汇总表")
    assert values[1] == [
        "初审单位",
        "申报单位",
        "所在县（市、区）",
        "项目类别",
        "申报编号",
        "初审结论",
        "推荐意见",
        "审核人",
        "审核日期",
    ]
    assert [row[1] for row in values[2:]] == [
        "晋城市通过机械有限公司",
        "晋城市补正机械有限公司",
        "阳城县通过机械有限公司",
    ]
    assert values[2][5] == "通过" and values[2][8] == "2022-12-06"


def test_the_summary_pages_keep_the_order_and_the_xlsx_holds_every_row(
    client, decided, call_admin_user, call, monkeypatch, password, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(views, "SUMMARY_PAGE_SIZE", 2)
    client.force_login(call_admin_user)
    url = reverse("review:first_review_summary")
    first = client.get(url, {"call": call.slug})
    second = client.get(url, {"call": call.slug, "page": 2})
    units = [row["unit"] for row in first.context["rows"] + second.context["rows"]]
    assert units == ["晋城市通过机械有限公司", "晋城市补正机械有限公司", "阳城县通过机械有限公司"]
    assert "共 3 项申报" in first.content.decode() and "第 1 / 2 页" in first.content.decode()
    assert "page=2" in first.content.decode() and f"call={call.slug}" in first.content.decode()
    web = WebUser()
    web.log_in(call_admin_user.username, password)
    _job, content = summary_export(web, django_capture_on_commit_callbacks, call)
    sheet = load_workbook(io.BytesIO(content)).active
    assert [row[1].value for row in sheet.iter_rows(min_row=3)] == units


def test_the_summary_reads_a_constant_number_of_queries(client, make_submitted, county_reviewer, hr_reviewer, call):
    pass_first_review(make_submitted(), county_reviewer)
    client.force_login(hr_reviewer)
    url = reverse("review:first_review_summary") + f"?call={call.slug}"
    one = queue_queries(client, url)
    for _ in range(3):
        pass_first_review(make_submitted(), county_reviewer)
    assert (one, queue_queries(client, url)) == (SUMMARY_QUERIES, SUMMARY_QUERIES)


def test_the_summary_keeps_its_page_until_an_audited_change(
    decided, make_submitted, county_reviewer, hr_reviewer, call, password, settings
):
    settings.SHENBAO_PORTAL_CACHE_SECONDS = 300
    cache.clear()
    web = WebUser()  # through the log-in page, every middleware on
    web.log_in(hr_reviewer.username, password)
    url = reverse("review:first_review_summary") + f"?call={call.slug}"
    built = queue_queries(web, url)
    # Saved: the count and the page's rows.
    assert queue_queries(web, url) == built - 2
    # Another reader is not served this reader's page: a county bureau sees its own body's rows only.
    county = WebUser()
    county.log_in(county_reviewer.username, password)
    assert "阳城县通过机械有限公司" not in county.get(url).content.decode()

    newcomer = pass_first_review(make_submitted(name="晋城市新通过机械有限公司"), county_reviewer)  # audited
    with CaptureQueriesContext(connection) as queries:
        page = web.get(url).content.decode()
    assert len(queries) == built and newcomer.unit.name in page and "共 4 项申报" in page
    cache.clear()


def test_applicants_cannot_read_the_summary(client, applicant, call):
    client.force_login(applicant)
    assert client.get(reverse("review:first_review_summary")).status_code == 403
    assert client.get(reverse("review:first_review_queue")).status_code == 403


def test_a_summary_export_of_a_call_outside_ones_scope_fails_and_offers_nothing(
    decided, other_city_admin, call, password, django_capture_on_commit_callbacks
):
    web = WebUser()
    web.log_in(other_city_admin.username, password)
    with django_capture_on_commit_callbacks(execute=True):
        response = web.post(
            reverse("exports:request", kwargs={"kind": "review.summary"}),
            {"call": call.slug},
            form_url=reverse("exports:list"),
        )
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.FAILED and "无权查看该通知" in job.error and not job.file
    download = web.get(reverse("exports:download", kwargs={"public_id": job.public_id}))
    assert download.status_code == 404
