"""The result band of an acceptance evaluation (评估验收等次), a pure function of Decimal scores.

DOMAIN.md §7 (common practice; the 2022 notice itself names no bands): ≥90 优秀, 80–89.99 良好, 60–79.99 合格,
不合格 when the total is below 60 or any main item (验收主要指标) scores below 60% of its points. Those are the
defaults; each project type's call file may set its own (`acceptance_bands`), and callers hand them over with
`rules_of(project_type)` / `main_item_ratio_of(project_type)`.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from shenbao.calls import defaults

CENT = Decimal("0.01")


@dataclass(frozen=True)
class BandRule:
    band: str  # AcceptanceEvaluation.Band value
    minimum: Decimal  # lowest total of the band (inclusive)


def band_rules(*, excellent, good, qualified):
    """The rules highest first; a total below the last minimum fails."""
    return (BandRule("excellent", excellent), BandRule("good", good), BandRule("qualified", qualified))


BAND_RULES = band_rules(
    excellent=defaults.ACCEPTANCE_EXCELLENT, good=defaults.ACCEPTANCE_GOOD, qualified=defaults.ACCEPTANCE_QUALIFIED
)
FAILED = "failed"
# A main item below this share of its points fails the evaluation whatever the total.
MAIN_ITEM_MINIMUM_SHARE = defaults.ACCEPTANCE_MAIN_ITEM_MIN_RATIO


def rules_of(project_type):
    """The band table the project type's call file set."""
    return band_rules(
        excellent=project_type.acceptance_excellent_min,
        good=project_type.acceptance_good_min,
        qualified=project_type.acceptance_qualified_min,
    )


def main_item_ratio_of(project_type):
    return project_type.acceptance_main_item_min_ratio


@dataclass(frozen=True)
class ItemScore:
    points: Decimal
    max_points: Decimal
    is_main: bool = True


def quantize(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def item_minimum(max_points, *, share=MAIN_ITEM_MINIMUM_SHARE):
    """The lowest passing score of a main item: with the default share, 60% of 15 points is 9.00."""
    return quantize(Decimal(max_points) * share)


def is_below_minimum(item, *, share=MAIN_ITEM_MINIMUM_SHARE):
    return item.is_main and quantize(item.points) < item_minimum(item.max_points, share=share)


def acceptance_band(*, total, items=(), rules=BAND_RULES, share=MAIN_ITEM_MINIMUM_SHARE):
    """The band value for `total` (Decimal) and the aggregated `items` (ItemScore); "failed" is 不合格."""
    if not isinstance(total, Decimal):
        raise TypeError("acceptance scores must be Decimal")
    total = quantize(total)
    if any(is_below_minimum(item, share=share) for item in items):
        return FAILED
    for rule in rules:
        if total >= rule.minimum:
            return rule.band
    return FAILED
