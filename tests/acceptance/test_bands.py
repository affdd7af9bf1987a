"""The result band (评估验收等次) at its boundaries: ≥90 优秀, 80–89.99 良好, 60–79.99 合格, 不合格 below 60 or when any
main item scores below 60% of its points (DOMAIN.md §7). Pure Decimal function, no database."""

from decimal import Decimal

import pytest

from shenbao.acceptance.bands import ItemScore, acceptance_band, is_below_minimum, item_minimum

D = Decimal


@pytest.mark.parametrize(
    ("total", "band"),
    [
        ("100", "excellent"),
        ("90", "excellent"),
        ("90.00", "excellent"),
        ("89.99", "good"),
        ("80", "good"),
        ("79.99", "qualified"),
        ("60", "qualified"),
        ("59.99", "failed"),
        ("0", "failed"),
    ],
)
def test_band_of_the_total_at_each_boundary(total, band):
    assert acceptance_band(total=D(total)) == band


def test_a_main_item_at_59_percent_fails_a_high_total():
    # 8.85 of a 15-point item is 59% of its points; the other items are at full marks (total 93.85).
    items = [ItemScore(D("8.85"), D("15")), ItemScore(D("25"), D("25")), ItemScore(D("60"), D("60"))]
    assert acceptance_band(total=D("93.85"), items=items) == "failed"


def test_a_main_item_at_exactly_60_percent_passes():
    items = [ItemScore(D("9.00"), D("15")), ItemScore(D("15"), D("25"))]
    assert acceptance_band(total=D("90"), items=items) == "excellent"


def test_the_item_minimum_is_60_percent_of_its_points_to_the_cent():
    assert item_minimum(D("15")) == D("9.00")
    assert item_minimum(D("25")) == D("15.00")
    assert item_minimum(D("10")) == D("6.00")
    assert is_below_minimum(ItemScore(D("8.99"), D("15")))
    assert not is_below_minimum(ItemScore(D("9"), D("15")))


def test_only_main_items_count_for_the_item_rule():
    assert acceptance_band(total=D("95"), items=[ItemScore(D("1"), D("15"), is_main=False)]) == "excellent"


def test_totals_are_rounded_half_up_to_the_cent_before_banding():
    assert acceptance_band(total=D("89.995")) == "excellent"
    assert acceptance_band(total=D("89.994")) == "good"


def test_floats_are_refused():
    with pytest.raises(TypeError):
        acceptance_band(total=89.99)
