"""统计分析 for the city's leadership: every figure checked against a count computed here with plain ORM queries
over a varied dataset (tests/core/statistics_data.py), the query count pinned at one and at many applications, the
pages through HTTP (WebUser, CSRF on), the XLSX and the one-page summary, another city's call answering 404."""

import io
from collections import Counter
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_fsm_log.models import StateLog

from shenbao.acceptance.models import AcceptanceEvaluation, ProgressReport
from shenbao.accounts.roles import Role
from shenbao.applications.models import Application
from shenbao.applications.workflow import ApplicationStatus
from shenbao.audit.models import AuditEntry
from shenbao.awards.models import Plaque
from shenbao.core.leadership import build_city_statistics
from shenbao.funding.models import Appropriation, FundingInstalment
from shenbao.organisations.models import Organisation
from tests.factories import UserFactory
from tests.web import WebUser

from .statistics_data import CITY_BUREAU, PASSWORD, S, build_dataset, load_cities, make_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return build_dataset()


def submitted_of(calls):
    return Application.objects.filter(call__in=calls).exclude(status=ApplicationStatus.DRAFT)


def as_dict(table, *, value=-1):
    return {row[0]: row[value] for row in table.rows}


# --- The figures against independent counts ---------------------------------------------------------------------


def test_counts_by_each_dimension_match_the_database(data):
    statistics = build_city_statistics(user=data["admin"])
    calls = data["calls"]
    applications = list(submitted_of(calls).select_related("unit__region", "unit__unit_type", "first_review_body"))

    assert as_dict(statistics.table("year")) == {str(call.year): submitted_of([call]).count() for call in calls}
    assert as_dict(statistics.table("county")) == dict(Counter(a.unit.region.name for a in applications))
    assert as_dict(statistics.table("unit_type")) == dict(Counter(a.unit.unit_type.name for a in applications))
    assert as_dict(statistics.table("department")) == dict(Counter(a.first_review_body.name for a in applications))
    assert as_dict(statistics.table("project_type")) == dict(Counter(a.project_type.name for a in applications))
    assert as_dict(statistics.table("state")) == dict(Counter(str(S(a.status).label) for a in applications))
    industries = Counter((a.form_data.get("unit_profile") or {}).get("industry") or "（未填写）" for a in applications)
    assert as_dict(statistics.table("industry")) == dict(industries)
    order = [str(status.label) for status in S]
    labels = [row[0] for row in statistics.table("state").rows]
    assert labels == sorted(labels, key=order.index)  # the workflow's order
    # The other city's applications and the drafts are nowhere.
    assert statistics.table("county").total == len(applications) == 13


def test_one_call_counts_only_that_call(data):
    call = data["calls"][1]
    statistics = build_city_statistics(user=data["admin"], call=call)

    assert statistics.table("county").total == submitted_of([call]).count() == 3
    assert next(table.key for table in statistics.tables) == "county"  # no year table for a single call


def test_funnel_counts_every_application_that_passed_each_step(data):
    statistics = build_city_statistics(user=data["admin"])
    ids = set(Application.objects.filter(call__in=data["calls"]).values_list("pk", flat=True))
    entered = {}
    for log in StateLog.objects.all():
        if int(log.object_id) in ids:
            entered.setdefault(log.state, set()).add(int(log.object_id))
            if log.source_state == S.EXPERT_REVIEW:
                entered.setdefault("scored", set()).add(int(log.object_id))

    funnel = [row[-1] for row in statistics.funnel.rows]
    expected = [
        len(entered[S.SUBMITTED]),
        len(entered[S.RECHECK]),
        len(entered[S.EXPERT_REVIEW]),
        len(entered["scored"]),
        len(entered[S.SOLICITING]),
        len(entered[S.IN_NOTICE]),
        len(entered[S.AWARDED]),
    ]
    assert funnel == expected == [13, 8, 7, 6, 5, 4, 3]
    assert statistics.funnel.rows[-1][1] == "23%"  # 3 of 13


def test_designations_funds_and_budget_match_the_database(data):
    statistics = build_city_statistics(user=data["admin"])
    calls = data["calls"]
    plaques = Plaque.objects.filter(application__call__in=calls).select_related("application__unit__region")
    expected = Counter((p.application.call.year, p.application.unit.region.name) for p in plaques)
    assert {(row[0], row[1]): row[2] for row in statistics.table("designated").rows} == dict(expected)
    assert statistics.designated_total == 3

    instalments = FundingInstalment.objects.filter(record__application__call__in=calls)
    committed = instalments.aggregate(total=Sum("amount"))["total"]  # nothing cancelled in the dataset
    due = instalments.filter(due_on__isnull=False).aggregate(total=Sum("amount"))["total"]
    funds = statistics.table("funds")
    assert sum(row[2] for row in funds.rows) == committed == statistics.funds_total.committed
    assert sum(row[3] for row in funds.rows) == due
    assert sum(row[4] for row in funds.rows) == Decimal("0.00") == statistics.funds_total.paid
    by_year = {
        row["budget_year"]: row["total"]
        for row in instalments.values("budget_year").annotate(total=Sum("amount")).order_by()
    }
    budget = {row[0]: row for row in statistics.table("budget").rows}
    assert {year: row[2] for year, row in budget.items()} == by_year
    appropriations = {
        row["year"]: row["total"]
        for row in Appropriation.objects.filter(city=calls[0].city).values("year").annotate(total=Sum("amount"))
    }
    for year, row in budget.items():
        if year in appropriations:
            assert row[1] == appropriations[year] and row[-1] == appropriations[year] - row[2]
        else:
            assert row[1] == row[-1] == "—"
    assert appropriations and set(appropriations) <= set(budget)


def test_reports_and_evaluations_match_the_database(data):
    statistics = build_city_statistics(user=data["admin"])
    reports = ProgressReport.objects.filter(application__call__in=data["calls"])
    expected = Counter((r.year, str(r.get_status_display())) for r in reports)
    assert {(row[0], row[1]): row[2] for row in statistics.table("reports").rows} == dict(expected)

    evaluations = AcceptanceEvaluation.objects.filter(application__call__in=data["calls"])
    expected = Counter(
        (e.round, str(e.get_band_display() if e.status == "decided" else e.get_status_display())) for e in evaluations
    )
    assert {(row[0], row[1]): row[2] for row in statistics.table("evaluations").rows} == dict(expected)


def test_a_city_reviewer_reads_the_same_figures_and_others_read_none(data):
    bureau = UserFactory(organisation=Organisation.objects.get(name=CITY_BUREAU), roles=[Role.CITY_REVIEWER])
    assert as_dict(build_city_statistics(user=bureau).table("county")) == as_dict(
        build_city_statistics(user=data["admin"]).table("county")
    )
    applicant = Application.objects.filter(call__in=data["calls"]).first().created_by
    assert build_city_statistics(user=applicant).tables == []


# --- Query counts ---------------------------------------------------------------------------------------------


def count_queries(user):
    with CaptureQueriesContext(connection) as queries:
        build_city_statistics(user=user)
    return len(queries)


def count_page_queries(browser, url):
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(url).status_code == 200
    return len(queries)


def test_query_count_is_the_same_at_one_and_at_many_applications():
    jincheng, _changzhi = load_cities()
    admin = UserFactory(
        organisation=Organisation.objects.get(function="city_skills_office", region=jincheng.city),
        roles=[Role.CALL_ADMIN],
    )
    browser = logged_in(admin)
    url = reverse("core:call_statistics", args=[jincheng.slug])
    make_application(jincheng, status=S.SUBMITTED, county="140502", unit_type="enterprise", industry="煤炭")
    admin = type(admin).objects.get(pk=admin.pk)
    at_one = count_queries(admin)
    page_at_one = count_page_queries(browser, url)
    states = list(S)
    creator = Application.objects.first().created_by
    for index in range(120):
        make_application(
            jincheng,
            status=states[index % len(states)],
            county=("140502", "140521", "140522", "140581")[index % 4],
            unit_type=("enterprise", "industry_association")[index % 2],
            industry=("煤炭", "陶瓷", "")[index % 3],
            user=creator,
        )
    admin = type(admin).objects.get(pk=admin.pk)
    at_many = count_queries(admin)
    # The user's roles and organisation, the city's calls, then one aggregated query per figure: 7 dimensions, the
    # funnel, designations, funds, appropriations, reports, evaluations.
    assert at_one == at_many == 17
    # The page through the whole middleware stack (session, user, menu) adds a fixed number, never one per row.
    assert page_at_one == count_page_queries(browser, url) == 20


# --- Pages through HTTP -------------------------------------------------------------------------------------------


def logged_in(user):
    browser = WebUser()
    browser.log_in(user.username, PASSWORD)
    return browser


def test_the_dashboard_shows_charts_and_tables(data):
    browser = logged_in(data["admin"])
    page = browser.get(reverse("core:city_statistics")).content.decode()

    assert page.count("<svg") >= 10 and page.count('<title id="chart-') >= 10
    assert "城区" in page and "泽州县" in page and "潞州区" not in page
    call = data["calls"][0]
    page = browser.get(reverse("core:call_statistics", args=[call.slug])).content.decode()
    assert reverse("core:call_upward_report", args=[call.slug, "summary", "docx"]) in page


def test_the_xlsx_holds_every_table(data):
    browser = logged_in(data["admin"])
    response = browser.get(reverse("core:city_statistics_xlsx"))

    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    statistics = build_city_statistics(user=data["admin"])
    assert len(workbook.sheetnames) == len(statistics.tables)
    county = workbook[statistics.table("county").title[:31]]
    rows = {row[0]: row[1] for row in county.iter_rows(min_row=3, values_only=True) if row[0]}
    assert rows == as_dict(statistics.table("county"))
    assert AuditEntry.objects.filter(event="statistics:export").exists()


def test_the_one_page_summary_prints_and_renders_as_pdf(data):
    call = data["calls"][0]
    browser = logged_in(data["admin"])
    page = browser.get(reverse("core:call_statistics_summary", args=[call.slug])).content.decode()

    assert "申报评审情况汇总" in page and call.title in page and "data-print" in page
    assert "授牌单位 2 个" in page
    response = browser.get(reverse("core:call_statistics_summary_pdf", args=[call.slug]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_another_citys_call_is_not_found(data):
    browser = logged_in(data["admin"])
    other = data["other"].slug
    for name in ("core:call_statistics", "core:call_statistics_xlsx", "core:call_statistics_summary"):
        assert browser.get(reverse(name, args=[other])).status_code == 404
    assert browser.get(reverse("core:call_upward_report", args=[other, "summary", "xlsx"])).status_code == 404


def test_other_roles_are_refused(data):
    applicant = Application.objects.filter(call__in=data["calls"]).first().created_by
    browser = logged_in(applicant)
    assert browser.get(reverse("core:city_statistics")).status_code == 403


def test_the_summary_fits_one_a4_page(data):
    import datetime

    from shenbao.core.views_statistics import SUMMARY_CSS
    from shenbao.documents.pdf import layout_template

    statistics = build_city_statistics(user=data["admin"], call=data["calls"][0])
    context = {"statistics": statistics, "organisation": data["admin"].organisation, "today": datetime.date.today()}
    document = layout_template(template="core/statistics/summary_pdf.html", context=context, stylesheets=(SUMMARY_CSS,))

    assert len(document.pages) == 1
    assert round(document.pages[0].width * 25.4 / 96) == 210  # A4 portrait, in millimetres
