"""统计分析 for the city's leadership (the call administrator and the city-wide reviewers): per call or across every
call of the city, the applications by year, county, first-review body, project type, unit type, industry and state;
the funnel from submission to award; designated units and funds by year and county; budget use by budget year;
progress-report and acceptance outcomes.

Every figure comes from the owning app's selector, one aggregated query each (`applications.selectors
.count_applications_by`, `count_application_funnel`, `awards.selectors.count_designated_units_by_year_and_county`,
`funding.selectors.sum_figures_by_year_and_county`, the acceptance counts), so the page costs the same number of
queries at one application and at a province's worth. The same `Table`s feed the page, its charts, the XLSX and
the one-page print. Nothing here writes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from shenbao.acceptance.selectors import (
    count_evaluations_by_round_and_outcome,
    count_progress_reports_by_year_and_status,
)
from shenbao.accounts.roles import Role
from shenbao.accounts.rules import get_city_of_user
from shenbao.applications.selectors import (
    STATISTICS_DIMENSIONS,
    count_application_funnel,
    count_applications_by,
)
from shenbao.applications.workflow import ApplicationStatus
from shenbao.awards.selectors import count_designated_units_by_year_and_county
from shenbao.calls.selectors import get_city_call, list_city_calls
from shenbao.funding.figures import Figures
from shenbao.funding.selectors import sum_appropriations_by_year, sum_figures_by_year_and_county

from .charts import BarChart, horizontal_bars
from .spreadsheets import workbook_bytes

if TYPE_CHECKING:
    from shenbao.accounts.rules import AnyUser
    from shenbao.calls.models import Call
    from shenbao.organisations.models import Region

# The city-wide roles that read the statistics, in the order a city is looked for.
LEADERSHIP_ROLES = (Role.CALL_ADMIN, Role.CITY_REVIEWER)
# The dimensions shown per call; across calls the year comes first.
CALL_DIMENSIONS = ("county", "department", "project_type", "unit_type", "industry", "state")
SUMMARY_TABLES = ("project_type", "county", "state")
STATE_ORDER = [status.value for status in ApplicationStatus]


def statistics_city(user: AnyUser) -> Region | None:
    """The city whose statistics `user` reads (a city-wide role), or None."""
    for role in LEADERSHIP_ROLES:
        city = get_city_of_user(user, role=role)
        if city is not None:
            return city
    return None


def get_statistics_call(*, user: AnyUser, slug: str) -> Call:
    """A call of the reader's city, or Call.DoesNotExist (another city's call answers 404)."""
    return get_city_call(city=statistics_city(user), slug=slug)


@dataclass(frozen=True)
class Table:
    """One figure: its heading, the table (the chart's accessible fallback and the XLSX sheet), and its chart."""

    key: str
    title: str
    headers: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    chart: BarChart | None = None
    note: str = ""

    @property
    def total(self) -> int:
        return sum(row[-1] for row in self.rows if isinstance(row[-1], int))


@dataclass
class CityStatistics:
    city: Region | None = None
    call: Call | None = None
    calls: list[Call] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    def table(self, key: str) -> Table:
        return next(table for table in self.tables if table.key == key)

    @property
    def funnel(self) -> Table:
        return self.table("funnel")

    @property
    def summary_tables(self) -> list[Table]:
        """The tables of the one-page 「申报评审情况汇总」, after the funnel."""
        return [self.table(key) for key in SUMMARY_TABLES]

    @property
    def designated_total(self) -> int:
        return self.table("designated").total

    @property
    def funds_total(self) -> Figures:
        """Committed and paid over every row of the funds table (its columns: year, county, then the money)."""
        rows = self.table("funds").rows
        zero = Decimal("0.00")
        return Figures(committed=sum((row[2] for row in rows), zero), paid=sum((row[4] for row in rows), zero))


def _state_label(value: str) -> str:
    return str(ApplicationStatus(value).label)


def _count_table(key: str, rows: list[tuple[Any, str, int]], *, relabel: Callable[[str], str] | None = None) -> Table:
    dimension = STATISTICS_DIMENSIONS[key]
    empty = _("（未填写）")
    lines = [((relabel(label) if relabel else label) or empty, number) for _key, label, number in rows]
    note = ""
    if key == "industry":
        note = _("所属行业按申报书“单位基本情况”中填写的文字归类，未经统一编码。")
    return Table(
        key=key,
        title=_("按%(dimension)s统计的申报数") % {"dimension": dimension.title},
        headers=(str(dimension.title), _("申报数")),
        rows=[(str(label), number) for label, number in lines],
        chart=horizontal_bars(rows=[(str(label), number) for label, number in lines]),
        note=note,
    )


def _funnel_table(calls: Any) -> Table:
    steps = count_application_funnel(calls=calls)
    first = steps[0][2] if steps else 0
    return Table(
        key="funnel",
        title=_("从提交到授牌"),
        headers=(_("环节"), _("占提交数"), _("申报数")),
        rows=[(label, f"{number / first:.0%}" if first else "—", number) for _key, label, number in steps],
        chart=horizontal_bars(rows=[(label, number) for _key, label, number in steps], funnel=True),
        note=_("每一环节统计曾经通过该环节的申报（含其后退回、未入选的），不含草稿。"),
    )


def _designation_table(calls: Any) -> Table:
    rows = count_designated_units_by_year_and_county(calls=calls)
    return Table(
        key="designated",
        title=_("按年度和县（市、区）统计的授牌单位"),
        headers=(_("年度"), _("县（市、区）"), _("授牌单位数")),
        rows=[(year, county, number) for year, county, number in rows],
        chart=horizontal_bars(rows=[(f"{year} {county}", number) for year, county, number in rows]),
    )


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


def _funds_tables(calls: Any, city: Region) -> list[Table]:
    figures = sum_figures_by_year_and_county(calls=calls)
    appropriations = sum_appropriations_by_year(city=city)
    by_county: defaultdict[tuple[int, str], Figures] = defaultdict(Figures)
    by_budget_year: defaultdict[int, Figures] = defaultdict(Figures)
    for (call_year, budget_year, county), amounts in figures.items():
        by_county[(call_year, county)] += amounts
        by_budget_year[budget_year] += amounts
    money_headers = (_("承诺经费（元）"), _("应拨付（元）"), _("已拨付（元）"), _("未拨付（元）"))

    def money(amounts: Figures) -> tuple[Decimal, ...]:
        return tuple(_money(value) for value in (amounts.committed, amounts.due, amounts.paid, amounts.remaining))

    county_keys = sorted(by_county)
    year_keys = sorted(set(by_budget_year) | set(appropriations))

    def budget_row(year: int) -> tuple[Any, ...]:
        amounts = by_budget_year.get(year, Figures())
        appropriation = appropriations.get(year)
        balance = "—" if appropriation is None else _money(appropriation - amounts.committed)
        return (year, "—" if appropriation is None else _money(appropriation), *money(amounts), balance)

    return [
        Table(
            key="funds",
            title=_("按年度和县（市、区）统计的建设扶持经费"),
            headers=(_("年度"), _("县（市、区）"), *money_headers),
            rows=[(year, county, *money(by_county[(year, county)])) for year, county in county_keys],
            chart=horizontal_bars(
                rows=[(f"{year} {county}", by_county[(year, county)].committed) for year, county in county_keys]
            ),
            note=_("年度为申报通知的年度；图示为承诺经费。"),
        ),
        Table(
            key="budget",
            title=_("按预算年度统计的经费使用"),
            headers=(_("预算年度"), _("年度预算（元）"), *money_headers, _("预算结余（元）")),
            rows=[budget_row(year) for year in year_keys],
            chart=horizontal_bars(rows=[(str(year), by_budget_year[year].paid) for year in sorted(by_budget_year)]),
            note=_("预算年度与“预算执行”页面相同；年度预算为全市该年度各经费来源的合计；图示为已拨付经费。"),
        ),
    ]


def _acceptance_tables(calls: Any) -> list[Table]:
    reports = count_progress_reports_by_year_and_status(calls=calls)
    evaluations = count_evaluations_by_round_and_outcome(calls=calls)
    return [
        Table(
            key="reports",
            title=_("建设进展报告"),
            headers=(_("报告年度"), _("状态"), _("报告数")),
            rows=[(year, label, number) for year, _status, label, number in reports],
            chart=horizontal_bars(rows=[(f"{year} {label}", number) for year, _status, label, number in reports]),
        ),
        Table(
            key="evaluations",
            title=_("评估验收结果"),
            headers=(_("验收轮次"), _("结果"), _("验收数")),
            rows=[(round_, label, number) for round_, _key, label, number in evaluations],
            chart=horizontal_bars(
                rows=[
                    (_("第%(round)s轮 %(label)s") % {"round": round_, "label": label}, number)
                    for round_, _key, label, number in evaluations
                ]
            ),
        ),
    ]


def build_city_statistics(*, user: AnyUser, call: Call | None = None) -> CityStatistics:
    """The statistics of `call`, or of every call of the reader's city (across years) when `call` is None."""
    statistics = CityStatistics(city=statistics_city(user), call=call)
    if statistics.city is None:
        return statistics
    statistics.calls = list(list_city_calls(city=statistics.city))
    scope: Any = [call] if call is not None else list_city_calls(city=statistics.city)
    dimensions = CALL_DIMENSIONS if call is not None else ("year", *CALL_DIMENSIONS)
    for key in dimensions:
        rows = count_applications_by(calls=scope, dimension=key)
        relabel = None
        if key == "state":
            # The workflow's order (提交 … 授牌, then the stops), not the alphabet of the stored values.
            rows.sort(key=lambda row: STATE_ORDER.index(row[0]))
            relabel = _state_label
        statistics.tables.append(_count_table(key, rows, relabel=relabel))
    statistics.tables.append(_funnel_table(scope))
    statistics.tables.append(_designation_table(scope))
    statistics.tables.extend(_funds_tables(scope, statistics.city))
    statistics.tables.extend(_acceptance_tables(scope))
    return statistics


def statistics_workbook(statistics: CityStatistics) -> bytes:
    """Every table of the page as one sheet each (the heading, the header row, the rows), through `workbook_bytes`."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in statistics.tables:
        sheet = workbook.create_sheet(title=table.title[:31])
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append(list(table.headers))
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(list(row))
        if table.note:
            sheet.append([])
            sheet.append([table.note])
        sheet.column_dimensions["A"].width = 28
        sheet.column_dimensions["B"].width = 18
    return workbook_bytes(workbook)
