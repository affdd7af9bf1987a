"""A grouped bar chart as geometry for a server-rendered inline SVG (no JavaScript, no external library).

The template draws each bar as a <rect> with presentation attributes (fill, x, y …), which the CSP allows, and
gives the chart a <title>/<desc>; the data table next to it is the accessible fallback.
"""

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

WIDTH = 720
HEIGHT = 300
MARGIN_LEFT = 88
MARGIN_RIGHT = 16
MARGIN_TOP = 16
MARGIN_BOTTOM = 56
TICKS = 4
# Colour-blind-safe palette (Okabe–Ito), dark enough to read against white.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7")


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    colour: str


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    title: str


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class GroupLabel:
    x: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    baseline: float
    series: tuple
    bars: tuple
    ticks: tuple
    groups: tuple
    legend: tuple

    @property
    def tick_label_x(self):
        return self.plot_left - 6

    @property
    def group_label_y(self):
        return self.baseline + 18

    @property
    def is_empty(self):
        return not self.bars


def _nice_ceiling(value):
    """The first of 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10ⁿ at or above `value`, so the axis labels are round."""
    if value <= 0:
        return Decimal(1)
    exponent = len(str(int(value))) - 1
    base = Decimal(10) ** exponent
    for step in (1, Decimal("1.5"), 2, Decimal("2.5"), 3, 4, 5, 6, 8, 10):
        if value <= base * step:
            return base * step
    return base * 10


def _wan(value):
    """Axis labels in 万元 (300000 → "30万")."""
    wan = (Decimal(value) / 10000).quantize(Decimal("0.1"), rounding=ROUND_CEILING).normalize()
    return f"{wan:f}万"


def grouped_bars(*, groups, series):
    """Geometry for `groups` [(label, {series key: Decimal})] and `series` [(key, label)]."""
    series = tuple(Series(key, label, PALETTE[index % len(PALETTE)]) for index, (key, label) in enumerate(series))
    plot_width = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    baseline = MARGIN_TOP + plot_height
    top = _nice_ceiling(max((value for _label, values in groups for value in values.values()), default=0))
    bars, labels = [], []
    slot = plot_width / max(len(groups), 1)
    bar_width = min(slot * 0.8 / max(len(series), 1), 48)
    for index, (label, values) in enumerate(groups):
        start = MARGIN_LEFT + index * slot + (slot - bar_width * len(series)) / 2
        labels.append(GroupLabel(x=round(MARGIN_LEFT + index * slot + slot / 2, 1), label=label))
        for position, item in enumerate(series):
            value = values.get(item.key, Decimal(0))
            height = float(max(value, Decimal(0)) / top) * plot_height
            bars.append(
                Bar(
                    x=round(start + position * bar_width, 1),
                    y=round(baseline - height, 1),
                    width=round(bar_width - 2, 1),
                    height=round(height, 1),
                    colour=item.colour,
                    title=f"{label} {item.label}：{value:,.2f} 元",
                )
            )
    ticks = tuple(
        Tick(y=round(baseline - plot_height * step / TICKS, 1), label=_wan(top * step / TICKS))
        for step in range(TICKS + 1)
    )
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        plot_left=MARGIN_LEFT,
        plot_right=WIDTH - MARGIN_RIGHT,
        baseline=baseline,
        series=series,
        bars=tuple(bars) if groups else (),
        ticks=ticks,
        groups=tuple(labels),
        legend=series,
    )
