"""Call rules: the submission window in Beijing time, funding instalments, hard eligibility rules."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from shenbao.calls.eligibility import KNOWN_METRICS, evaluate_rule
from shenbao.calls.models import EligibilityRule, split_instalments

BEIJING = ZoneInfo("Asia/Shanghai")


def beijing(*args):
    return datetime.datetime(*args, tzinfo=BEIJING)


@pytest.mark.parametrize(
    ("at", "is_open"),
    [
        (beijing(2022, 12, 8, 23, 59, 59), True),
        # The whole of the deadline's last second is in time, to the last millisecond; the next one is late.
        (beijing(2022, 12, 8, 23, 59, 59, 500000), True),
        (beijing(2022, 12, 8, 23, 59, 59, 999000), True),
        (beijing(2022, 12, 8, 23, 59, 59, 999999), True),
        (beijing(2022, 12, 9, 0, 0, 0), False),
        (beijing(2022, 12, 9, 0, 0, 0, 1), False),
        (beijing(2022, 12, 2, 0, 0, 0), True),
        (beijing(2022, 12, 1, 23, 59, 59), False),
        # The same instants in UTC: the window is defined in Beijing time, not in the server's.
        (datetime.datetime(2022, 12, 8, 15, 59, 59, tzinfo=datetime.UTC), True),
        (datetime.datetime(2022, 12, 8, 16, 0, 0, tzinfo=datetime.UTC), False),
        (datetime.datetime(2022, 12, 1, 16, 0, 0, tzinfo=datetime.UTC), True),
        (datetime.datetime(2022, 12, 1, 15, 59, 59, tzinfo=datetime.UTC), False),
    ],
)
def test_call_is_open_from_the_publication_day_to_the_deadline_instant(jincheng_call, at, is_open):
    assert jincheng_call.is_open(at=at) is is_open
    if at >= beijing(2022, 12, 2):
        assert jincheng_call.is_past_deadline(at=at) is not is_open


@pytest.mark.parametrize(
    ("total", "percents", "expected"),
    [
        ("300000.00", ["40", "60"], ["120000.00", "180000.00"]),
        ("200000.00", ["40", "60"], ["80000.00", "120000.00"]),
        # 100000.01 × 40% = 40000.004 → 40000.00; the last part takes the remainder so the sum is exact.
        ("100000.01", ["40", "60"], ["40000.00", "60000.01"]),
        ("100.00", ["33.33", "33.33", "33.34"], ["33.33", "33.33", "33.34"]),
        ("0.05", ["50", "50"], ["0.03", "0.02"]),
    ],
)
def test_split_instalments(total, percents, expected):
    amounts = split_instalments(Decimal(total), [Decimal(p) for p in percents])
    assert amounts == [Decimal(e) for e in expected]
    assert sum(amounts) == Decimal(total)


def hard_rule(metric, operator, threshold):
    return EligibilityRule(
        code="r", kind=EligibilityRule.Kind.HARD, metric=metric, operator=operator, threshold=Decimal(threshold)
    )


@pytest.mark.parametrize(
    ("metric", "threshold", "value", "passes"),
    [
        ("qualified_member_count", 3, 3, True),
        ("qualified_member_count", 3, 2, False),
        ("annual_trainee_count", 300, 300, True),
        ("annual_trainee_count", 300, 299, False),
        ("equipped_specialty_count", 2, 2, True),
        ("equipped_specialty_count", 2, 1, False),
        ("partner_enterprise_count", 2, 1, False),
        ("co_developed_specialty_count", 3, 3, True),
        ("qualified_member_count", 3, None, False),
    ],
)
def test_evaluate_rule_at_the_boundary(metric, threshold, value, passes):
    assert evaluate_rule(rule=hard_rule(metric, ">=", threshold), value=value) is passes


@pytest.mark.parametrize(
    ("operator", "value", "passes"),
    [
        (">", 3, False),
        (">", 4, True),
        ("<=", 3, True),
        ("<=", 4, False),
        ("<", 3, False),
        ("<", 2, True),
        ("==", 3, True),
        ("==", 2, False),
    ],
)
def test_evaluate_rule_operators(operator, value, passes):
    assert evaluate_rule(rule=hard_rule("qualified_member_count", operator, 3), value=value) is passes


def test_qualitative_rules_cannot_be_evaluated():
    with pytest.raises(ValueError, match="qualitative"):
        evaluate_rule(rule=EligibilityRule(code="q", kind=EligibilityRule.Kind.QUALITATIVE), value=1)


def test_every_metric_of_the_2022_call_is_known(jincheng_call):
    metrics = set(EligibilityRule.objects.exclude(metric="").values_list("metric", flat=True))
    assert metrics == set(KNOWN_METRICS)
