"""Public call pages: list, detail, attachment download, and query counts that do not grow with rows."""

import dataclasses
import datetime
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shenbao.calls.project_types import PROJECT_TYPES
from shenbao.calls.services import load_call_file

from .helpers import as_another_call, jincheng_data, make_call, write_call_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def during_the_call(settings, monkeypatch):
    """Freeze "now" inside the 2022 submission window."""
    from django.utils import timezone

    moment = datetime.datetime(2022, 12, 5, 10, 0, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


def test_list_shows_the_open_call_with_deadline_status_and_amounts(client, jincheng_call, during_the_call):
    response = client.get(reverse("calls:list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "关于开展2022年市级技师工作站和技能人才培养基地申报和评审工作的通知" in html
    assert "正在受理" in html
    assert "2022年12月8日 23:59" in html
    assert "30万元" in html and "¥300,000.00" in html
    assert "20万元" in html and "¥200,000.00" in html


def test_list_marks_a_closed_call(client, jincheng_call):
    html = client.get(reverse("calls:list")).content.decode()
    assert "已截止" in html and "正在受理" not in html


def test_a_call_not_yet_published_is_not_public(client, jincheng_city):
    make_call(
        slug="future",
        published_on=datetime.date(2099, 1, 1),
        deadline=datetime.datetime(2099, 2, 1, tzinfo=datetime.UTC),
    )
    assert "future 申报通知" not in client.get(reverse("calls:list")).content.decode()
    assert client.get(reverse("calls:detail", kwargs={"slug": "future"})).status_code == 404


def test_detail_shows_everything_an_applicant_needs(client, jincheng_call, during_the_call):
    response = client.get(reverse("calls:detail", kwargs={"slug": "jincheng-2022"}))
    html = response.content.decode()
    assert response.status_code == 200
    for text in [
        "中共晋城市委组织部",
        "2022年12月8日 23:59:59",
        "一式3份",
        "市人社局技能办（市人社局201室）",
        "郭大勇",
        "2199488",
        "市本级职业技能提升工程工作经费",
        "科研生产型事业单位",
        "一（一）1",
        "营业执照或主管部门批准成立的文件复印件",
        "¥120,000.00",
        "¥180,000.00",
        "¥80,000.00",
        "¥120,000.00",
        "2023年1月1日",
        "2024年12月31日",
        "领办人及团队",
        "晋城市技能人才培养基地建设项目实施方案",
        "年培训规模不少于300人",
        "正在受理",
    ]:
        assert text in html, text


def test_unknown_call_is_404(client, db):
    assert client.get(reverse("calls:detail", kwargs={"slug": "no-such-call"})).status_code == 404
    url = reverse("calls:attachment", kwargs={"slug": "no-such-call", "code": "x"})
    assert client.get(url).status_code == 404


def test_unknown_attachment_is_404(client, jincheng_call):
    url = reverse("calls:attachment", kwargs={"slug": "jincheng-2022", "code": "no-such-form"})
    assert client.get(url).status_code == 404


def test_attachment_download_headers(client, jincheng_call):
    url = reverse("calls:attachment", kwargs={"slug": "jincheng-2022", "code": "workstation-application-form"})
    response = client.get(url)
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert quote("晋城市技师工作站建设项目申报书.docx") in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert b"".join(response.streaming_content)[:2] == b"PK"


# The whole page's queries, exactly: the same with one row as with many, so a fixed extra query fails too.
LIST_QUERIES = 3
DETAIL_QUERIES = 9


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_list_query_count_does_not_grow_with_calls(client, jincheng_city):
    make_call(slug="call-0")
    one = count_queries(client, reverse("calls:list"))
    for index in range(1, 40):
        make_call(slug=f"call-{index}", project_types=3)
    many = count_queries(client, reverse("calls:list"))
    second_page = count_queries(client, reverse("calls:list") + "?page=2")
    assert (one, many, second_page) == (LIST_QUERIES, LIST_QUERIES, LIST_QUERIES)


def test_detail_query_count_does_not_grow_with_project_types(client, jincheng_call, tmp_path, monkeypatch):
    two = count_queries(client, reverse("calls:detail", kwargs={"slug": "jincheng-2022"}))
    data = jincheng_data()
    as_another_call(data, slug="bigger", prefix="X")
    data.update(attachments=[])
    data["project_types"] += [
        {**pt, "code": f"{pt['code']}-{copy}", "plaque_number_prefix": f"{pt['plaque_number_prefix']}{copy}"}
        for copy in range(3)
        for pt in data["project_types"]
    ]
    # More types need registry entries (the loader refuses unregistered codes): register them as copies.
    for pt in data["project_types"][2:]:
        base = PROJECT_TYPES[pt["code"].rsplit("-", 1)[0]]
        monkeypatch.setitem(PROJECT_TYPES, pt["code"], dataclasses.replace(base, code=pt["code"]))
    load_call_file(path=write_call_file(tmp_path, data))
    many = count_queries(client, reverse("calls:detail", kwargs={"slug": "bigger"}))
    assert (two, many) == (DETAIL_QUERIES, DETAIL_QUERIES)


def test_the_call_page_states_the_experts_and_the_aggregation_rule(client, jincheng_call, during_the_call):
    html = client.get(reverse("calls:detail", kwargs={"slug": "jincheng-2022"})).content.decode()
    assert "每项申报5名专家评分" in html
    assert "去掉一个最高分和一个最低分后取平均（评分表不少于5份时；不足5份的申报取算术平均）" in html
