"""Turning several experts' totals into one score (专家评分汇总), as pure Decimal functions: the call's rule,
used by the ranking (scoring), the acceptance evaluation and the call's own pages.

The method is a call parameter (`Call.score_aggregation`, from the call file): `trimmed_mean` (去掉一个最高分和一个
最低分后取平均), `mean` or `median`. Trimming needs at least the call's `trim_minimum_scores` totals (default 5):
with fewer (a recusal not replaced), the plain mean is taken, and `AggregationRule` says so for that application.
The call loader refuses `trimmed_mean` when the call's own expert count is below that minimum, so the rule is
one and the same in the call file, the ranking and the acceptance evaluation. Arithmetic stays in Decimal and is
rounded once, at the end, to 0.01 with ROUND_HALF_UP, so 86.665 is 86.67 and nothing depends on binary floats.
The acceptance evaluation (评估验收) reuses `aggregate_totals` for its own panel scores.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from shenbao.core.money import CENT

from .defaults import TRIM_MINIMUM_SCORES

TRIMMED_MEAN = "trimmed_mean"
MEAN = "mean"
MEDIAN = "median"
METHODS = (TRIMMED_MEAN, MEAN, MEDIAN)
LABELS = {TRIMMED_MEAN: "去掉一个最高分和一个最低分后取平均", MEAN: "算术平均", MEDIAN: "中位数"}


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
    return _mean(sorted(values)[1:-1])


CALCULATIONS = {TRIMMED_MEAN: _trimmed_mean, MEAN: _mean, MEDIAN: _median}


def applied_method(*, method, count, trim_minimum=TRIM_MINIMUM_SCORES):
    """The method actually applied to `count` totals: trimming falls back to the mean below `trim_minimum`."""
    if method not in CALCULATIONS:
        raise ValueError(f"unknown aggregation method {method!r}; expected one of {', '.join(METHODS)}")
    if method == TRIMMED_MEAN and count < trim_minimum:
        return MEAN
    return method


def aggregate_totals(*, totals, method, trim_minimum=TRIM_MINIMUM_SCORES):
    """The panel's score from the experts' `totals` by `method`, as a Decimal with two places.

    88, 90, 75, 95, 82 → 86.67 (trimmed_mean: 82, 88, 90 remain), 86.00 (mean), 88.00 (median); four totals
    with trim_minimum 5 take the mean. Raises ValueError for no totals or an unknown method, TypeError for floats.
    """
    values = _decimals(totals)
    if not values:
        raise ValueError("no totals to aggregate")
    calculation = CALCULATIONS[applied_method(method=method, count=len(values), trim_minimum=trim_minimum)]
    return quantize(calculation(values))


@dataclass(frozen=True)
class AggregationRule:
    """A call's rule: its method and the least number of totals for trimming (`rule_of(call)`)."""

    method: str
    trim_minimum: int = TRIM_MINIMUM_SCORES

    def aggregate(self, totals):
        return aggregate_totals(totals=totals, method=self.method, trim_minimum=self.trim_minimum)

    def applied(self, count):
        return applied_method(method=self.method, count=count, trim_minimum=self.trim_minimum)

    @property
    def description(self):
        """The rule as the call page, the ranking and its exports state it."""
        if self.method == TRIMMED_MEAN:
            return (
                f"{LABELS[TRIMMED_MEAN]}（评分表不少于{self.trim_minimum}份时；"
                f"不足{self.trim_minimum}份的申报取{LABELS[MEAN]}）"
            )
        return LABELS.get(self.method, self.method)

    def note(self, count):
        """Why an application with `count` totals was aggregated otherwise than the call says ("" when it was not)."""
        applied = self.applied(count)
        if applied == self.method:
            return ""
        return f"仅{count}份评分表，不足{self.trim_minimum}份，按{LABELS[applied]}汇总"


def rule_of(call):
    return AggregationRule(method=call.score_aggregation, trim_minimum=call.trim_minimum_scores)
