"""Open and closed calls are decided in the database, at the same boundaries as Call.is_open."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from shenbao.calls import selectors
from shenbao.calls.models import Call

from .helpers import make_call

BEIJING = ZoneInfo("Asia/Shanghai")
DEADLINE = datetime.datetime(2022, 12, 8, 23, 59, 59, tzinfo=BEIJING)


def slugs(queryset):
    return [call.slug for call in queryset]


@pytest.mark.parametrize(
    ("at", "open_", "closed"),
    [
        (datetime.datetime(2022, 12, 1, 23, 59, 59, tzinfo=BEIJING), [], []),
        (datetime.datetime(2022, 12, 2, 0, 0, 0, tzinfo=BEIJING), ["jincheng-2022"], []),
        (DEADLINE, ["jincheng-2022"], []),
        (DEADLINE + datetime.timedelta(milliseconds=999), ["jincheng-2022"], []),
        (DEADLINE + datetime.timedelta(microseconds=999999), ["jincheng-2022"], []),
        (DEADLINE + datetime.timedelta(seconds=1), [], ["jincheng-2022"]),
    ],
)
def test_open_and_closed_at_the_boundaries(jincheng_call, at, open_, closed):
    assert slugs(selectors.list_open_calls(at=at)) == open_
    assert slugs(selectors.list_closed_calls(at=at)) == closed
    for call in Call.objects.all():
        assert call.is_open(at=at) is (call.slug in open_)


def test_ordering_open_by_deadline_then_closed_newest_first(db):
    at = datetime.datetime(2023, 6, 1, tzinfo=BEIJING)
    for slug, published, deadline in [
        ("closed-old", (2021, 1, 1), (2021, 2, 1)),
        ("closed-new", (2023, 1, 1), (2023, 2, 1)),
        ("open-late", (2023, 5, 1), (2023, 9, 1)),
        ("open-soon", (2023, 5, 1), (2023, 7, 1)),
        ("future", (2023, 7, 1), (2023, 8, 1)),
    ]:
        make_call(
            slug=slug,
            published_on=datetime.date(*published),
            deadline=datetime.datetime(*deadline, tzinfo=BEIJING),
        )

    assert slugs(selectors.list_open_calls(at=at)) == ["open-soon", "open-late"]
    assert slugs(selectors.list_closed_calls(at=at)) == ["closed-new", "closed-old"]
    assert slugs(selectors.list_public_calls(at=at)) == ["open-soon", "open-late", "closed-new", "closed-old"]


def test_lists_prefetch_project_types(db, django_assert_num_queries):
    for index in range(3):
        make_call(slug=f"c{index}", project_types=2)
    with django_assert_num_queries(2):
        calls = list(selectors.list_closed_calls())
        assert sum(len(call.project_types.all()) for call in calls) == 6


def test_get_call(jincheng_call):
    assert selectors.get_call(slug="jincheng-2022") == jincheng_call
    with pytest.raises(Call.DoesNotExist):
        selectors.get_call(slug="nope")
