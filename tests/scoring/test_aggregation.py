"""专家评分汇总 with hand-computed numbers: trimmed mean (≥5 experts), mean, median; Decimal, 0.01 half up."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shenbao.calls.aggregation import AggregationRule, aggregate_totals

D = Decimal
EXAMPLE = [88, 90, 75, 95, 82]  # issue 5's example


@pytest.mark.parametrize(
    ("method", "expected"),
    [("trimmed_mean", D("86.67")), ("mean", D("86.00")), ("median", D("88.00"))],
)
def test_the_issue_example(method, expected):
    result = aggregate_totals(totals=EXAMPLE, method=method)
    assert result == expected
    assert isinstance(result, Decimal)
    assert result.as_tuple().exponent == -2  # always two places: 86.00, not 86


def test_trimmed_mean_drops_exactly_one_highest_and_one_lowest():
    # 95 twice: only one of them goes. Left: 80, 90, 95 → 265 / 3 = 88.333… → 88.33
    assert aggregate_totals(totals=[95, 95, 90, 80, 60], method="trimmed_mean") == D("88.33")


def test_trimmed_mean_with_six_experts():
    # 70 and 92 dropped; (80 + 85 + 86 + 90) / 4 = 85.25
    assert aggregate_totals(totals=[85, 70, 92, 80, 86, 90], method="trimmed_mean") == D("85.25")


@pytest.mark.parametrize(
    ("totals", "expected"),
    [
        ([88, 90, 75, 95], D("87.00")),  # four experts: nothing dropped, (88+90+75+95)/4 = 87
        ([80, 81, 83], D("81.33")),  # 244 / 3 = 81.333…
        ([70], D("70.00")),
        ([D("70.5"), D("71")], D("70.75")),
    ],
)
def test_fewer_than_five_experts_is_a_plain_mean(totals, expected):
    assert aggregate_totals(totals=totals, method="trimmed_mean") == expected
    assert aggregate_totals(totals=totals, method="mean") == expected


def test_half_up_at_the_cent():
    # 86.665 exactly: half up gives 86.67 (banker's rounding would give 86.66)
    assert aggregate_totals(totals=[D("86.665")], method="mean") == D("86.67")
    # (80.5 + 81 + 82) / 3 = 81.1666… → 81.17
    assert aggregate_totals(totals=[D("80.5"), D("81"), D("82")], method="mean") == D("81.17")
    # (60 + 60.5 + 61 + 61 + 90.5 + 30) trimmed: drop 30 and 90.5 → 242.5 / 4 = 60.625 → 60.63
    totals = [D("60"), D("60.5"), D("61"), D("61"), D("90.5"), D("30")]
    assert aggregate_totals(totals=totals, method="trimmed_mean") == D("60.63")


def test_median_of_an_even_count_averages_the_middle_two():
    assert aggregate_totals(totals=[70, 80, D("85.5"), 90], method="median") == D("82.75")
    assert aggregate_totals(totals=[80, 81], method="median") == D("80.50")


def test_strings_are_read_exactly():
    assert aggregate_totals(totals=["88.5", "90", "75", "95", "82"], method="trimmed_mean") == D("86.83")


def test_refusals():
    with pytest.raises(ValueError, match="no totals"):
        aggregate_totals(totals=[], method="mean")
    with pytest.raises(ValueError, match="unknown aggregation"):
        aggregate_totals(totals=[80], method="average")
    with pytest.raises(TypeError):
        aggregate_totals(totals=[80.5], method="mean")


HALF_POINTS = st.integers(min_value=0, max_value=200).map(lambda n: D(n) / 2)


@given(st.lists(HALF_POINTS, min_size=1, max_size=9))
def test_every_method_stays_between_the_lowest_and_highest_total(totals):
    for method in ("trimmed_mean", "mean", "median"):
        result = aggregate_totals(totals=totals, method=method)
        assert min(totals) <= result <= max(totals)
        assert result == result.quantize(D("0.01"))


@given(st.lists(HALF_POINTS, min_size=5, max_size=9))
def test_trimmed_mean_ignores_how_extreme_the_extremes_are(totals):
    ordered = sorted(totals)
    wilder = [D(0), *ordered[1:-1], D(100)]
    assert aggregate_totals(totals=wilder, method="trimmed_mean") == aggregate_totals(
        totals=totals, method="trimmed_mean"
    )


@pytest.mark.parametrize(
    ("totals", "expected", "note"),
    [
        # 4 scores: below the default minimum of 5, the plain mean, and the row says so.
        ([88, 90, 75, 95], D("87.00"), "仅4份评分表，不足5份，按算术平均汇总"),
        # 5 scores: 75 and 95 dropped, (88 + 90 + 82) / 3 = 86.666… → 86.67.
        ([88, 90, 75, 95, 82], D("86.67"), ""),
        # 6 scores: 70 and 92 dropped, (80 + 85 + 86 + 90) / 4 = 85.25.
        ([85, 70, 92, 80, 86, 90], D("85.25"), ""),
    ],
)
def test_four_five_and_six_scores_under_the_calls_rule(totals, expected, note):
    rule = AggregationRule(method="trimmed_mean")
    assert rule.aggregate(totals) == expected
    assert rule.aggregate(totals).as_tuple().exponent == -2
    assert rule.note(len(totals)) == note


def test_the_minimum_for_trimming_is_the_calls():
    rule = AggregationRule(method="trimmed_mean", trim_minimum=4)
    assert rule.aggregate([88, 90, 75, 95]) == D("89.00")  # 75 and 95 dropped
    assert rule.aggregate([88, 90, 75]) == D("84.33")  # three: the mean, 253 / 3
    assert rule.note(3) == "仅3份评分表，不足4份，按算术平均汇总"
    assert "评分表不少于4份时" in rule.description


def test_mean_and_median_never_carry_a_note():
    for method in ("mean", "median"):
        assert AggregationRule(method=method).note(2) == ""
