"""Horizontal bar charts and a funnel as geometry for a server-rendered inline SVG (no JavaScript, no library).

Counts by county, department or state have long Chinese labels, so the bars run across the page with the label in
front. The template (`core/_bar_chart.svg.html`) draws <rect>/<text> with presentation attributes only, which the
CSP allows, and gives the chart <title>/<desc>; the table beside it is the accessible fallback and carries the same
figures. A funnel is the same bars centred on one axis, each step's share of the first step stated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

WIDTH = 720
ROW_HEIGHT = 26
BAR_HEIGHT = 18
LABEL_WIDTH = 200
VALUE_WIDTH = 120
PADDING = 8
# Okabe–Ito blue: colour-blind-safe and dark enough for white text beside it.
COLOUR = "#0072B2"
LABEL_CHARACTERS = 14  # a longer label is cut with "…" in the chart; the table keeps it whole


@dataclass(frozen=True)
class Bar:
    label: str
    value_text: str
    x: float
    y: float
    width: float
    label_y: float


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_x: int
    value_x: float
    colour: str
    bars: tuple[Bar, ...]

    @property
    def is_empty(self) -> bool:
        return not self.bars


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1] + "…"


def _value_text(value: int | Decimal, *, share: float | None) -> str:
    text = f"{value:,.2f}" if isinstance(value, Decimal) else f"{value:,}"
    return text if share is None else f"{text}（{share:.0%}）"


def horizontal_bars(*, rows: Sequence[tuple[str, int | Decimal]], funnel: bool = False) -> BarChart:
    """Geometry for `rows` [(label, value)], one bar a row, scaled to the largest value. `funnel`: the bars are
    centred and each says its share of the first row (the funnel's first step is everything that entered it)."""
    plot_left = LABEL_WIDTH + PADDING
    plot_width = WIDTH - plot_left - VALUE_WIDTH
    largest = max((value for _label, value in rows), default=0) or 1
    first = rows[0][1] if rows else 0
    bars = []
    for index, (label, value) in enumerate(rows):
        length = float(max(value, 0)) / float(largest) * plot_width
        x = plot_left + (plot_width - length) / 2 if funnel else plot_left
        top = PADDING + index * ROW_HEIGHT
        share = (float(value) / float(first) if first else 0.0) if funnel else None
        bars.append(
            Bar(
                label=_short(label),
                value_text=_value_text(value, share=share),
                x=round(x, 1),
                y=top,
                width=round(length, 1),
                label_y=top + BAR_HEIGHT - 4,
            )
        )
    return BarChart(
        width=WIDTH,
        height=PADDING * 2 + ROW_HEIGHT * max(len(rows), 1),
        label_x=LABEL_WIDTH,
        value_x=WIDTH - VALUE_WIDTH + PADDING,
        colour=COLOUR,
        bars=tuple(bars),
    )
