import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import load_call, load_reference

pytestmark = pytest.mark.django_db

BASE = Path(settings.BASE_DIR)


def in_days(days):
    return datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=days)


def test_home_is_public_and_lists_the_2022_call_from_its_file(client):
    load_reference()
    call = load_call()

    response = client.get(reverse("core:home"))

    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="zh-hans">' in content
    assert "申报评审平台" in content
    assert call.title in content
    assert 'datetime="2022-12-08T23:59:59+08:00"' in content
    assert "2022年12月8日" in content
    assert "市级技师工作站" in content and "30万元" in content
    assert "市级技能人才培养基地" in content and "20万元" in content
    # 2022's deadline has passed: the call is listed under the past calls, after the heading.
    assert content.index("往期申报通知") < content.index(call.title)
    assert "目前没有正在受理的申报通知" in content


def test_open_call_is_listed_before_the_past_ones(client, make_call):
    past = make_call(title="二〇二二年通知")
    current = make_call(open_now=True, title="本年度正在受理的通知")

    content = client.get(reverse("core:home")).content.decode()

    assert content.index("正在受理的申报通知") < content.index(current.title) < content.index("往期申报通知")
    assert content.index("往期申报通知") < content.index(past.title)
    assert "目前没有正在受理的申报通知" not in content


def test_call_published_in_the_future_is_not_on_the_home_page(client, make_call):
    make_call(title="尚未发布的通知", published_on=in_days(3).date(), submission_deadline=in_days(30))

    content = client.get(reverse("core:home")).content.decode()

    assert "尚未发布的通知" not in content


def test_home_shows_only_the_latest_past_calls(client, make_call):
    for year in range(2015, 2023):
        deadline = datetime.datetime(year, 12, 8, tzinfo=datetime.UTC)
        make_call(title=f"{year}年度通知", year=year, submission_deadline=deadline)

    content = client.get(reverse("core:home")).content.decode()

    assert "2022年度通知" in content and "2018年度通知" in content
    assert "2017年度通知" not in content
    assert reverse("calls:list") in content


# The whole page's queries, exactly: the same with one row as with many, so a fixed extra query fails too.
HOME_QUERIES = 10  # with the latest 通知公告 (one query)
SIGNED_IN_HOME_QUERIES = 15


def _home_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("core:home")).status_code == 200
    return len(queries)


def test_home_query_count_does_not_grow_with_calls(client, make_call):
    make_call(open_now=True)
    make_call()
    few = _home_queries(client)
    for _ in range(6):
        make_call(open_now=True)
        make_call()

    assert (few, _home_queries(client)) == (HOME_QUERIES, HOME_QUERIES)


def test_signed_in_home_query_count_does_not_grow_with_calls(client, make_call, applicant):
    client.force_login(applicant)
    make_call(open_now=True)
    make_call()
    few = _home_queries(client)
    for _ in range(6):
        make_call(open_now=True)
        make_call()

    assert (few, _home_queries(client)) == (SIGNED_IN_HOME_QUERIES, SIGNED_IN_HOME_QUERIES)
