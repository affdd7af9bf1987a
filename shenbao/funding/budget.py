"""预算执行: committed, paid and remaining funds of a city, per year, per project type and per county, against the
yearly appropriation of each fund source (经费来源, notice clause 六).

When an instalment counts (its budget year, `FundingInstalment.budget_year`):
- the start-up instalment (启动经费, due at designation) in the year of designation (授牌日期);
- an instalment waiting for a passed 评估验收 in the year after the construction period ends, as expected
  (建设期 2023-01-01 to 2024-12-31 → 2025), until it is released; then in the year it became due;
- an instalment cancelled by revocation (撤销命名) only with what was paid on it, in its budget year.
Payments count against their instalment's budget year, whatever the date on the voucher, so for every year
committed = paid + remaining. County = the region of the applicant unit (city-direct units: the city itself).
A year warns when its commitments exceed its appropriation, or when something is committed and no appropriation
has been entered.

Everything is computed from one query over the city's instalments and one over its appropriations.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from .chart import grouped_bars
from .figures import ZERO, Figures, instalment_figures
from .models import Appropriation, FundingInstalment
from .rules import administered_city
from .selectors import paid_subquery


@dataclass(frozen=True)
class Line:
    """One row of a breakdown: a label and its figures (committed, paid, remaining)."""

    key: object
    label: str
    figures: Figures


@dataclass(frozen=True)
class YearLine:
    fund_source: str
    year: int
    appropriation: Decimal | None
    figures: Figures

    @property
    def balance(self):
        """预算结余: what is left of the appropriation after the commitments (None without an appropriation)."""
        return None if self.appropriation is None else self.appropriation - self.figures.committed

    @property
    def over_budget(self):
        return self.figures.committed > (self.appropriation or ZERO)


@dataclass
class BudgetOverview:
    years: list = field(default_factory=list)
    by_type: list = field(default_factory=list)
    by_county: list = field(default_factory=list)
    total: Figures = field(default_factory=Figures)
    available_years: list = field(default_factory=list)
    year: int | None = None

    @property
    def warnings(self):
        messages = []
        for line in self.years:
            if not line.over_budget:
                continue
            committed = f"{line.figures.committed:,.2f}"
            if line.appropriation is None:
                messages.append(
                    _("%(year)s年“%(source)s”承诺拨付 %(committed)s 元，尚未录入年度预算。")
                    % {"year": line.year, "source": line.fund_source, "committed": committed}
                )
            else:
                messages.append(
                    _(
                        "%(year)s年“%(source)s”承诺拨付 %(committed)s 元，"
                        "超过年度预算 %(budget)s 元（超出 %(over)s 元）。"
                    )
                    % {
                        "year": line.year,
                        "source": line.fund_source,
                        "committed": committed,
                        "budget": f"{line.appropriation:,.2f}",
                        "over": f"{-line.balance:,.2f}",
                    }
                )
        return messages


def _rows(city):
    return (
        FundingInstalment.objects.filter(record__application__call__city=city)
        .annotate(paid=paid_subquery())
        .values(
            "budget_year",
            "amount",
            "paid",
            "due_on",
            "cancelled_at",
            "record__application__call__fund_source",
            "record__application__project_type__name",
            "record__application__project_type__sort_order",
            "record__application__unit__region__key",
            "record__application__unit__region__name",
        )
    )


def _lines(totals, labels, order):
    return [Line(key=key, label=labels[key], figures=totals[key]) for key in sorted(totals, key=order)]


def budget_overview(*, user, year=None):
    """The administrator's city's budget execution; `year` narrows the type and county breakdowns."""
    overview = BudgetOverview(year=year)
    city = administered_city(user)
    if city is None:
        return overview
    by_year = defaultdict(Figures)
    by_type, type_labels, type_order = defaultdict(Figures), {}, {}
    by_county, county_labels = defaultdict(Figures), {}
    years = set()
    for row in _rows(city):
        figures = instalment_figures(
            amount=row["amount"], paid=row["paid"], due_on=row["due_on"], cancelled=row["cancelled_at"] is not None
        )
        source = row["record__application__call__fund_source"] or _("未注明经费来源")
        by_year[(source, row["budget_year"])] += figures
        years.add(row["budget_year"])
        if year is not None and row["budget_year"] != year:
            continue
        overview.total += figures
        type_name = row["record__application__project_type__name"]
        by_type[type_name] += figures
        type_labels[type_name] = type_name
        type_order[type_name] = min(type_order.get(type_name, 99), row["record__application__project_type__sort_order"])
        county = row["record__application__unit__region__key"]
        by_county[county] += figures
        county_labels[county] = row["record__application__unit__region__name"]
    appropriations = {
        (item.fund_source, item.year): item.amount
        for item in Appropriation.objects.filter(city=city).only("fund_source", "year", "amount")
    }
    years |= {key[1] for key in appropriations}
    for key in sorted(set(by_year) | set(appropriations), key=lambda key: (key[1], key[0])):
        overview.years.append(
            YearLine(
                fund_source=key[0],
                year=key[1],
                appropriation=appropriations.get(key),
                figures=by_year.get(key, Figures()),
            )
        )
    overview.by_type = _lines(by_type, type_labels, lambda key: (type_order[key], key))
    overview.by_county = _lines(by_county, county_labels, lambda key: key)
    overview.available_years = sorted(years)
    return overview


def overview_charts(overview):
    """The three charts of the dashboard: by year (against the appropriation), by project type, by county."""
    several_sources = len({line.fund_source for line in overview.years}) > 1
    year_groups = [
        (
            f"{line.year}" + (f" {line.fund_source[:6]}" if several_sources else ""),
            {
                "appropriation": line.appropriation or ZERO,
                "committed": line.figures.committed,
                "paid": line.figures.paid,
            },
        )
        for line in overview.years
    ]
    year_series = [("appropriation", _("年度预算")), ("committed", _("承诺拨付")), ("paid", _("已拨付"))]
    split_series = [("committed", _("承诺拨付")), ("paid", _("已拨付")), ("remaining", _("未拨付"))]

    def split(lines):
        return [
            (
                line.label,
                {"committed": line.figures.committed, "paid": line.figures.paid, "remaining": line.figures.remaining},
            )
            for line in lines
        ]

    return {
        "year": grouped_bars(groups=year_groups, series=year_series),
        "type": grouped_bars(groups=split(overview.by_type), series=split_series),
        "county": grouped_bars(groups=split(overview.by_county), series=split_series),
    }
