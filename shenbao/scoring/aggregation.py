"""Turning several experts' totals into one score (专家评分汇总), as pure Decimal functions.

The method is a call parameter (`Call.score_aggregation`, from the call file): `trimmed_mean` (去掉一个最高分和一个
最低分后取平均, only when at least five experts scored, otherwise a plain mean, since with fewer experts dropping two
totals would leave too few to average), `mean` or `median`. Arithmetic stays in Decimal and is rounded once, at the
end, to 0.01 with ROUND_HALF_UP, so 86.665 is 86.67 and nothing depends on binary floating point.
The acceptance evaluation (评估验收) reuses `aggregate_totals` for its own panel scores.
"""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
TRIMMED_MEAN = "trimmed_mean"
MEAN = "mean"
MEDIAN = "median"
METHODS = (TRIMMED_MEAN, MEAN, MEDIAN)
# Dropping the highest and the lowest total needs at least this many totals (Chinese panels: 5 experts or more).
TRIM_MINIMUM = 5


def quantize(value):
    """`value` to the cent, half up (the house rule for money and scores)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _decimals(totals):
    values = []
    for total in totals:
        if isinstance(total, float):
            # A float has already lost the exact value (0.1 is not 0.1); callers pass Decimal, int or str.
            raise TypeError("scores must be Decimal, int or str, not float")
        values.append(Decimal(total))
    return values


def _mean(values):
    return sum(values, Decimal(0)) / len(values)


def _median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def _trimmed_mean(values):
    if len(values) < TRIM_MINIMUM:
        return _mean(values)
    return _mean(sorted(values)[1:-1])


CALCULATIONS = {TRIMMED_MEAN: _trimmed_mean, MEAN: _mean, MEDIAN: _median}


def aggregate_totals(*, totals, method):
    """The panel's score from the experts' `totals` by `method`, as a Decimal with two places.

    88, 90, 75, 95, 82 → 86.67 (trimmed_mean: 82, 88, 90 remain), 86.00 (mean), 88.00 (median).
    Raises ValueError for no totals or an unknown method, TypeError for floats.
    """
    calculation = CALCULATIONS.get(method)
    if calculation is None:
        raise ValueError(f"unknown aggregation method {method!r}; expected one of {', '.join(METHODS)}")
    values = _decimals(totals)
    if not values:
        raise ValueError("no totals to aggregate")
    return quantize(calculation(values))
