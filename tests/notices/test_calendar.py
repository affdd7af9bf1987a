"""The working-day calendar: the library's data, the administrator's overrides, unknown years, counting rules."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from shenbao.notices.calendar import CalendarUnknownError, add_working_days, is_working_day, library_knows
from shenbao.notices.calendar_services import (
    import_schedule,
    mark_year,
    parse_schedule,
    remove_calendar_day,
    set_calendar_day,
)
from shenbao.notices.models import CalendarDay, CalendarYear
from tests.factories import UserFactory

D = datetime.date
ADMIN_MESSAGE_2027 = "2027年的节假日安排尚未录入，请系统管理员/申报管理员在「工作日历」中录入国务院公布的安排后再计算"

# The State Council's schedule for 2027 is not in chinese-calendar 1.11.0; a plausible one for the tests.
SCHEDULE_2027 = """
# 国务院办公厅关于2027年部分节假日安排的通知（测试用）
2027-01-01~2027-01-03 休 元旦
2027-02-06~2027-02-12 休 春节
2027-02-14 班 春节调休
2027-02-20 班 春节调休
"""


@pytest.fixture
def admin(db):
    return UserFactory()


def test_the_library_knows_2004_to_2026_only():
    assert library_knows(2004) and library_knows(2026)
    assert not library_knows(2003) and not library_knows(2027)


@pytest.mark.django_db
def test_make_up_days_work_and_holidays_rest():
    assert is_working_day(day=D(2022, 10, 8)) is True  # Saturday, 国庆节调休上班
    assert is_working_day(day=D(2022, 10, 3)) is False  # Monday, 国庆节
    assert is_working_day(day=D(2022, 9, 30)) is True
    assert is_working_day(day=D(2022, 9, 25)) is False  # plain Sunday


@pytest.mark.django_db
def test_notice_from_2022_09_29_ends_10_10_when_the_first_day_counts():
    assert add_working_days(start=D(2022, 9, 29), count=5, first_day_counts=True) == D(2022, 10, 10)


@pytest.mark.django_db
def test_notice_from_2022_09_29_ends_10_11_when_the_first_day_is_not_counted():
    assert add_working_days(start=D(2022, 9, 29), count=5, first_day_counts=False) == D(2022, 10, 11)


@pytest.mark.django_db
def test_a_rest_day_start_is_never_counted():
    # Saturday 2022-12-17: counting begins on Monday 12-19 under either convention.
    assert add_working_days(start=D(2022, 12, 17), count=5) == D(2022, 12, 23)
    assert add_working_days(start=D(2022, 12, 17), count=5, first_day_counts=False) == D(2022, 12, 23)
    assert add_working_days(start=D(2022, 12, 19), count=1) == D(2022, 12, 19)
    assert add_working_days(start=D(2022, 12, 19), count=1, first_day_counts=False) == D(2022, 12, 20)


@pytest.mark.django_db
def test_a_period_reaching_into_an_unknown_year_is_refused_with_the_administrator_message():
    # 2026-12-25 is a Friday: 12-25, 28, 29, 30, 31 — the fifth working day is still in 2026 …
    assert add_working_days(start=D(2026, 12, 25), count=5) == D(2026, 12, 31)
    # … the sixth would be in 2027, which nobody has entered.
    with pytest.raises(CalendarUnknownError) as caught:
        add_working_days(start=D(2026, 12, 25), count=6)
    assert caught.value.year == 2027
    assert caught.value.messages == [ADMIN_MESSAGE_2027]
    with pytest.raises(CalendarUnknownError):
        is_working_day(day=D(2027, 3, 1))


@pytest.mark.django_db
def test_the_last_day_of_a_known_year_is_computable_and_the_first_of_an_unknown_one_is_not():
    assert is_working_day(day=D(2026, 12, 31)) is True
    with pytest.raises(CalendarUnknownError):
        is_working_day(day=D(2027, 1, 1))
    # Not counting the first day steps over the boundary at once.
    with pytest.raises(CalendarUnknownError):
        add_working_days(start=D(2026, 12, 31), count=1, first_day_counts=False)


@pytest.mark.django_db
def test_overrides_alone_do_not_make_a_year_computable(admin):
    set_calendar_day(date=D(2027, 1, 1), is_working_day=False, name="元旦", user=admin)
    with pytest.raises(CalendarUnknownError):
        is_working_day(day=D(2027, 1, 4))
    # The overridden date itself is known: the administrator stated it.
    assert is_working_day(day=D(2027, 1, 1)) is False


@pytest.mark.django_db
def test_entering_2027_makes_it_computable(admin):
    import_schedule(
        text=SCHEDULE_2027,
        year=2027,
        source="国务院办公厅关于2027年部分节假日安排的通知",
        mark_complete=True,
        user=admin,
    )
    assert CalendarYear.objects.get(year=2027).complete
    # 2026-12-31 (Thu) counts; 2027-01-01~03 rest; Mon 01-04 … Thu 01-07.
    assert add_working_days(start=D(2026, 12, 31), count=5) == D(2027, 1, 7)
    # Spring Festival week: 2027-02-05 (Fri), 02-06~12 rest, Sunday 02-14 is a make-up day.
    assert add_working_days(start=D(2027, 2, 5), count=3) == D(2027, 2, 15)
    assert is_working_day(day=D(2027, 2, 20)) is True
    assert is_working_day(day=D(2027, 2, 21)) is False


@pytest.mark.django_db
def test_marking_a_year_complete_without_overrides_uses_weekdays(admin):
    mark_year(year=2027, complete=True, source="国务院办公厅关于2027年部分节假日安排的通知", user=admin)
    assert is_working_day(day=D(2027, 3, 1)) is True
    assert is_working_day(day=D(2027, 3, 6)) is False
    mark_year(year=2027, complete=False, user=admin)
    with pytest.raises(CalendarUnknownError):
        is_working_day(day=D(2027, 3, 1))


@pytest.mark.django_db
def test_an_override_wins_over_the_library_and_changes_the_result(admin):
    assert add_working_days(start=D(2022, 9, 29), count=5) == D(2022, 10, 10)
    # Suppose 2022-10-08 had not been a make-up day: the period ends one working day later.
    set_calendar_day(date=D(2022, 10, 8), is_working_day=False, name="国庆节", user=admin)
    assert add_working_days(start=D(2022, 9, 29), count=5) == D(2022, 10, 11)
    remove_calendar_day(date=D(2022, 10, 8), user=admin)
    assert add_working_days(start=D(2022, 9, 29), count=5) == D(2022, 10, 10)


@pytest.mark.django_db
def test_count_bounds():
    with pytest.raises(ValidationError):
        add_working_days(start=D(2022, 9, 29), count=0)


def test_schedule_errors_are_reported_with_line_numbers_and_nothing_is_written(admin):
    text = "\n".join(
        [
            "2027-01-01~2027-01-03 休 元旦",
            "2027-02-30 休 春节",
            "2027-02-14 上 调休",
            "2027-03-05~2027-03-01 休 错",
            "2027-01-02 班 重复",
        ]
    )
    with pytest.raises(ValidationError) as caught:
        import_schedule(text=text, year=2027, source="x", mark_complete=True, user=admin)
    messages = caught.value.messages
    assert messages[0].startswith("第2行：日期无效")
    assert messages[1].startswith("第3行：类别应为")
    assert messages[2].startswith("第4行：结束日期早于开始日期")
    assert messages[3] == "第5行：2027-01-02已在第1行出现"
    assert not CalendarDay.objects.exists()
    assert not CalendarYear.objects.exists()


def test_schedule_format_variants():
    days = parse_schedule(text="2027年10月1日至2027年10月7日 休 国庆节\n2027/9/26 班", year=2027)
    assert [day.date for day in days][:2] == [D(2027, 9, 26), D(2027, 10, 1)]
    assert len(days) == 8
    assert days[0].name == "调休上班" and days[0].is_working_day
    with pytest.raises(ValidationError, match="不在2027年的安排范围内"):
        parse_schedule(text="2029-01-01 休 元旦", year=2027)
    # A holiday crossing New Year belongs to the new year's schedule.
    assert len(parse_schedule(text="2026-12-31~2027-01-01 休 元旦", year=2027)) == 2
