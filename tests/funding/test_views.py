"""Funding pages: who may open each (call administrator of the city / another city, the unit / another unit,
other roles), what the pages show, the XLSX export, and query counts that do not grow with the rows."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from shenbao.audit.models import AuditEntry
from shenbao.funding.models import Appropriation, LedgerEntry
from shenbao.funding.services import record_payment, release_instalments, reverse_entry, save_appropriation
from tests.core.test_templates_csp_safe import csp_violations

from .builders import AFTER_DESIGNATION

pytestmark = pytest.mark.django_db
FUND = "市本级职业技能提升工程工作经费"


def signed_in(client, user):
    client.force_login(user)
    return client


def payment(record, admin, amount="120000.00", voucher="记-2023-001"):
    return record_payment(
        record=record,
        instalment=record.instalments.get(code="startup"),
        amount=amount,
        paid_on=datetime.date(2023, 1, 5),
        voucher_number=voucher,
        actor=admin,
        at=AFTER_DESIGNATION,
    )


def urls(record, entry):
    return {
        "ledger": reverse("funding:ledger"),
        "budget": reverse("funding:budget"),
        "xlsx": reverse("funding:ledger_xlsx"),
        "record": reverse("funding:record", kwargs={"public_id": record.public_id}),
        "pay": reverse("funding:record_payment", kwargs={"public_id": record.public_id}),
        "reverse": reverse("funding:reverse_entry", kwargs={"public_id": entry.public_id}),
    }


PAY_DATA = {"instalment": "1", "amount": "1.00", "paid_on": "2023-01-06", "voucher_number": "记-2023-002"}
REVERSE_DATA = {"reason": "录错"}

# page → expected status per user; None = the page is not tried for that user.
EXPECTED = {
    "call_admin": {"ledger": 200, "budget": 200, "xlsx": 200, "record": 200},
    "other_city_admin": {"ledger": 200, "budget": 200, "xlsx": 200, "record": 404, "pay": 404, "reverse": 404},
    "unit_applicant": {"ledger": 200, "budget": 403, "xlsx": 403, "record": 200, "pay": 403, "reverse": 403},
    "other_applicant": {"ledger": 200, "budget": 403, "xlsx": 403, "record": 404, "pay": 404, "reverse": 404},
    "county_reviewer": {"ledger": 403, "budget": 403, "xlsx": 403, "record": 404, "pay": 404, "reverse": 404},
    "city_reviewer": {"ledger": 403, "budget": 403, "xlsx": 403, "record": 404, "pay": 404, "reverse": 404},
    "consulted_department": {"ledger": 403, "budget": 403, "xlsx": 403, "record": 404, "pay": 404, "reverse": 404},
    "expert": {"ledger": 403, "budget": 403, "xlsx": 403, "record": 404, "pay": 404, "reverse": 404},
    "system_admin": {"ledger": 403, "budget": 403, "xlsx": 403, "record": 404, "pay": 404, "reverse": 404},
}


@pytest.fixture
def users(call_admin_user, other_city_admin, unit_applicant, other_roles):
    return {
        "call_admin": call_admin_user,
        "other_city_admin": other_city_admin,
        "unit_applicant": unit_applicant,
        **other_roles,
    }


@pytest.mark.parametrize("who", list(EXPECTED))
def test_permissions_of_every_page(client, record, users, who):
    entry = payment(record, users["call_admin"], amount="100.00")
    paths = urls(record, entry)
    signed_in(client, users[who])

    for page, status in EXPECTED[who].items():
        if page == "pay":
            response = client.post(paths[page], PAY_DATA)
        elif page == "reverse":
            response = client.post(paths[page], REVERSE_DATA)
        else:
            response = client.get(paths[page])
        assert response.status_code == status, (who, page, response.status_code)
    # Refused writes changed nothing.
    assert list(LedgerEntry.objects.values_list("amount", flat=True)) == [Decimal("100.00")]


def test_anonymous_visitors_are_sent_to_log_in(client, record, call_admin_user):
    entry = payment(record, call_admin_user, amount="1.00")
    for name, path in urls(record, entry).items():
        response = client.post(path, {}) if name in ("pay", "reverse") else client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response.url, name


def test_the_administrator_records_a_payment_on_the_page(client, record, call_admin_user):
    signed_in(client, call_admin_user)
    path = reverse("funding:record_payment", kwargs={"public_id": record.public_id})

    response = client.post(path, {**PAY_DATA, "amount": "120000.00"}, follow=True)

    assert response.status_code == 200
    assert "已录入拨付：启动经费 120,000.00 元（凭证号 记-2023-002）" in response.content.decode()
    assert LedgerEntry.objects.get().amount == Decimal("120000.00")
    assert AuditEntry.objects.filter(event="funding:payment").count() == 1


def test_an_overpayment_on_the_page_is_shown_on_the_form(client, record, call_admin_user):
    signed_in(client, call_admin_user)
    path = reverse("funding:record_payment", kwargs={"public_id": record.public_id})

    response = client.post(path, {**PAY_DATA, "amount": "120000.01"})

    assert response.status_code == 200
    assert "超过「启动经费」未拨付金额 120000.00 元" in response.content.decode()
    assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize("amount", ["0", "-5", "10.001", "一万"])
def test_an_amount_that_is_not_money_is_refused_on_the_form_with_the_one_message(
    client, record, call_admin_user, amount
):
    signed_in(client, call_admin_user)
    path = reverse("funding:record_payment", kwargs={"public_id": record.public_id})

    response = client.post(path, {**PAY_DATA, "amount": amount})

    assert response.status_code == 200
    assert "必须为大于0的金额（元），最多两位小数" in response.content.decode()
    assert not LedgerEntry.objects.exists()


def test_a_thousands_separator_is_read_as_money_on_the_form(client, record, call_admin_user):
    signed_in(client, call_admin_user)
    path = reverse("funding:record_payment", kwargs={"public_id": record.public_id})

    client.post(path, {**PAY_DATA, "amount": "1,000.50"})

    assert LedgerEntry.objects.get().amount == Decimal("1000.50")


def test_the_final_instalment_is_not_offered_before_it_is_due(client, record, call_admin_user):
    signed_in(client, call_admin_user)
    path = reverse("funding:record_payment", kwargs={"public_id": record.public_id})

    response = client.post(path, {**PAY_DATA, "instalment": "2", "amount": "1.00"})

    assert response.status_code == 200 and not LedgerEntry.objects.exists()
    assert "instalment" in response.context["payment_form"].errors


@pytest.mark.parametrize(("paid", "offered"), [("119999.99", True), ("120000.00", False)])
def test_a_fully_paid_instalment_is_no_longer_offered(client, record, call_admin_user, paid, offered):
    """One fen short of the start-up's 120,000 yuan it is still offered (with the fen as the amount); paid in
    full it leaves the payment form, and a payment posted for it anyway is refused."""
    payment(record, call_admin_user, amount=paid)
    signed_in(client, call_admin_user)
    page = client.get(reverse("funding:record", kwargs={"public_id": record.public_id}))
    form = page.context["payment_form"]
    assert (1 in [value for value, _label in form.fields["instalment"].choices]) is offered
    if offered:
        assert form.initial["amount"] == Decimal("0.01")
        return
    path = reverse("funding:record_payment", kwargs={"public_id": record.public_id})
    response = client.post(path, {**PAY_DATA, "instalment": "1", "amount": "0.01"})
    assert "instalment" in response.context["payment_form"].errors
    assert LedgerEntry.objects.count() == 1


def test_a_reversal_on_the_page(client, record, call_admin_user):
    entry = payment(record, call_admin_user)
    signed_in(client, call_admin_user)

    response = client.post(
        reverse("funding:reverse_entry", kwargs={"public_id": entry.public_id}),
        {"reason": "凭证号录错", "voucher_number": "记-2023-003"},
        follow=True,
    )

    page = response.content.decode()
    assert "已冲销该拨付记录" in page and "冲销 2023-01-05 凭证号 记-2023-001 的拨付" in page
    assert LedgerEntry.objects.filter(kind="reversal").get().amount == Decimal("-120000.00")


def test_the_unit_sees_its_record_read_only(client, record, call_admin_user, unit_applicant):
    payment(record, call_admin_user, amount="50000.00")
    signed_in(client, unit_applicant)

    ledger = client.get(reverse("funding:ledger")).content.decode()
    page = client.get(reverse("funding:record", kwargs={"public_id": record.public_id})).content.decode()

    assert record.application.number in ledger
    assert "¥50,000.00" in page and "¥70,000.00" in page  # paid, still due
    assert "录入拨付" not in page and "确认冲销" not in page
    assert "导出台账" not in ledger


def test_the_unit_does_not_see_another_units_record_in_its_list(client, record, training_base, unit_applicant):
    signed_in(client, unit_applicant)

    page = client.get(reverse("funding:ledger")).content.decode()

    assert record.application.number in page and training_base.number not in page


def test_a_revoked_record_shows_revoked(client, record, call_admin_user):
    from shenbao.funding.services import cancel_outstanding_instalments

    cancel_outstanding_instalments(application=record.application, reason="二次验收不合格")
    signed_in(client, call_admin_user)

    page = client.get(reverse("funding:record", kwargs={"public_id": record.public_id})).content.decode()
    ledger = client.get(reverse("funding:ledger") + "?status=revoked").content.decode()

    assert "已撤销" in page and "二次验收不合格" in page and "不再拨付" in page
    assert "录入拨付" not in page
    assert record.application.number in ledger


def test_the_budget_page_saves_an_appropriation_and_draws_the_charts(client, record, call_admin_user):
    signed_in(client, call_admin_user)

    response = client.post(
        reverse("funding:budget"), {"fund_source": FUND, "year": "2022", "amount": "100000.00"}, follow=True
    )

    page = response.content.decode()
    assert Appropriation.objects.get().amount == Decimal("100000.00")
    assert "年度预算已保存" in page
    assert "超过年度预算 100,000.00 元" in page
    assert page.count("<svg") >= 3 and 'role="img"' in page and "<title" in page
    assert csp_violations(page.split("<main", 1)[-1]) == []


def test_the_budget_page_refuses_an_unknown_fund_source(client, call, call_admin_user):
    signed_in(client, call_admin_user)

    response = client.post(reverse("funding:budget"), {"fund_source": "别的经费", "year": "2023", "amount": "1"})

    assert response.status_code == 200 and not Appropriation.objects.exists()


def test_the_ledger_exports_as_xlsx(client, record, training_base, call_admin_user):
    entry = payment(record, call_admin_user)
    reverse_entry(entry=entry, reason="录错", actor=call_admin_user, at=AFTER_DESIGNATION)
    payment(record, call_admin_user, voucher="记-2023-005")
    save_appropriation(actor=call_admin_user, fund_source=FUND, year=2022, amount="300000")
    signed_in(client, call_admin_user)

    response = client.get(reverse("funding:ledger_xlsx"))

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["经费台账", "拨付记录", "预算执行"]
    rows = list(workbook["经费台账"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 4  # two records × two instalments
    startup = next(row for row in rows if row[0] == record.application.number and row[8] == "启动经费")
    assert (startup[10], startup[14], startup[15]) == (120000, 120000, 0)
    entries = list(workbook["拨付记录"].iter_rows(min_row=2, values_only=True))
    # by date: both payments on 2023-01-05, the reversal on 2023-01-10
    assert [(row[3], row[6]) for row in entries] == [("拨付", 120000), ("拨付", 120000), ("冲销", -120000)]
    years = list(workbook["预算执行"].iter_rows(min_row=2, values_only=True))
    assert years[0][:6] == (FUND, 2022, 300000, 200000, 120000, 80000)
    assert AuditEntry.objects.filter(event="funding:export").count() == 1


def test_another_citys_administrator_exports_nothing_of_jincheng(client, record, other_city_admin):
    signed_in(client, other_city_admin)

    workbook = load_workbook(io.BytesIO(client.get(reverse("funding:ledger_xlsx")).content))

    assert workbook["经费台账"].max_row == 1


# --- query counts ----------------------------------------------------------------------------------------------


# The whole page's queries, exactly: the same with one row as with many, so a fixed extra query fails too.
LIST_QUERIES = {
    "funding:ledger": 10,
    "funding:budget": 11,
    # The spreadsheet's download is audited: on PostgreSQL the audit chain takes its advisory lock first (one query
    # more); SQLite serialises the writers itself.
    "funding:ledger_xlsx": {"sqlite": 13, "postgresql": 14}[connection.vendor],
}
RECORD_QUERIES = 9
UNIT_LEDGER_QUERIES = 11


def _queries(client, path):
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    # The rate limiter's counters (core/ratelimit.py) forget the windows that are over on the first hit of a new
    # one: whether a request does so depends on the clock, not on the page, so they are left out of the count.
    return sum("core_ratelimitcounter" not in query["sql"] for query in context.captured_queries)


def _with_payments(application, admin):
    record = application.funding_record
    entry = payment(record, admin, amount="100.00")
    reverse_entry(entry=entry, reason="录错", actor=admin, at=AFTER_DESIGNATION)
    payment(record, admin, amount="200.00", voucher="记-2023-002")
    release_instalments(application=application, trigger="acceptance_passed", on=datetime.date(2025, 3, 1))


@pytest.mark.parametrize("path_name", ["funding:ledger", "funding:budget", "funding:ledger_xlsx"])
def test_list_pages_do_not_grow_with_the_rows(client, make_designated, call_admin_user, path_name):
    signed_in(client, call_admin_user)
    first = make_designated()
    _with_payments(first, call_admin_user)
    save_appropriation(actor=call_admin_user, fund_source=FUND, year=2022, amount="1")
    one = _queries(client, reverse(path_name))

    for index, region in enumerate(("140521", "140522", "140524", "140525", "140581")):
        application = make_designated("training_base" if index % 2 else "workstation", region=region)
        _with_payments(application, call_admin_user)
    save_appropriation(actor=call_admin_user, fund_source=FUND, year=2025, amount="1")
    many = _queries(client, reverse(path_name))

    assert (one, many) == (LIST_QUERIES[path_name], LIST_QUERIES[path_name])


def test_the_record_page_does_not_grow_with_the_entries(client, record, call_admin_user):
    signed_in(client, call_admin_user)
    path = reverse("funding:record", kwargs={"public_id": record.public_id})
    payment(record, call_admin_user, amount="1.00")
    one = _queries(client, path)

    for number in range(6):
        entry = payment(record, call_admin_user, amount="2.00", voucher=f"记-{number}")
        reverse_entry(entry=entry, reason="录错", actor=call_admin_user, at=AFTER_DESIGNATION)
    many = _queries(client, path)

    assert (one, many) == (RECORD_QUERIES, RECORD_QUERIES)


def test_the_unit_ledger_does_not_grow_with_the_rows(client, make_designated, call_admin_user):
    from shenbao.accounts.roles import Role
    from tests.factories import UserFactory

    first = make_designated()
    applicant = UserFactory(organisation=first.unit, roles=[Role.APPLICANT])
    signed_in(client, applicant)
    one = _queries(client, reverse("funding:ledger"))
    # The same unit designated in another call would add rows; records of other units must not cost queries.
    for region in ("140521", "140522", "140524"):
        make_designated(region=region)
    many = _queries(client, reverse("funding:ledger"))

    assert (one, many) == (UNIT_LEDGER_QUERIES, UNIT_LEDGER_QUERIES)
