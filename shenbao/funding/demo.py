"""Demo data of funding (演示数据): the 2023 appropriation of the 2022 call's fund source, entered by the demo call
administrator, and the records of any demo unit already designated. Idempotent, like the rest of `seed_demo`."""

import datetime
from decimal import Decimal

from shenbao.accounts.selectors import find_user_by_username
from shenbao.calls.demo import beijing_day
from shenbao.calls.selectors import find_call

from .models import Appropriation, FundingInstalment
from .services import open_missing_funding_records, record_payment, save_appropriation

DEMO_CALL = "jincheng-2022"
ADMIN = "skills_admin"
DEMO_YEAR = 2023
# Room for the start-up instalments of a full quota (10 × 120,000 + 10 × 80,000).
DEMO_AMOUNT = Decimal("2000000.00")


def seed_funding():
    """Returns a Chinese summary line."""
    call = find_call(slug=DEMO_CALL)
    admin = find_user_by_username(username=ADMIN)
    if call is None or admin is None or not call.fund_source:
        return "未找到演示申报通知或申报管理员，跳过经费演示数据。"
    opened = open_missing_funding_records(call=call, actor=admin)
    if Appropriation.objects.filter(city=call.city, fund_source=call.fund_source, year=DEMO_YEAR).exists():
        return f"{DEMO_YEAR}年预算已存在，未新建；新建经费台账 {len(opened)} 个。"
    save_appropriation(actor=admin, fund_source=call.fund_source, year=DEMO_YEAR, amount=DEMO_AMOUNT)
    return f"已录入{DEMO_YEAR}年“{call.fund_source}”预算 {DEMO_AMOUNT:,.2f} 元；新建经费台账 {len(opened)} 个。"


def _pay(record, instalment, admin, paid_on):
    record_payment(
        record=record,
        instalment=instalment,
        amount=instalment.amount,
        paid_on=paid_on,
        voucher_number=f"YS-{record.application.number}-{instalment.sequence}",
        actor=admin,
        at=beijing_day(paid_on, 15),
    )


def seed_practice_funding(*, call, today):
    """The practice call (「演示」): its year's appropriation and every instalment due paid the day after it fell
    due (no later than yesterday), through the funding services; idempotent. Returns a Chinese summary line."""
    admin = find_user_by_username(username=ADMIN)
    if admin is None or not call.fund_source:
        return "未找到演示通知的经费来源或申报管理员，跳过演示拨付。"
    if not Appropriation.objects.filter(city=call.city, fund_source=call.fund_source, year=today.year).exists():
        save_appropriation(actor=admin, fund_source=call.fund_source, year=today.year, amount=DEMO_AMOUNT)
    paid = 0
    instalments = FundingInstalment.objects.filter(
        record__application__call=call, due_on__isnull=False, cancelled_at__isnull=True, entries__isnull=True
    ).select_related("record__application")
    for instalment in instalments.order_by("record__application__number", "sequence"):
        paid_on = min(instalment.due_on + datetime.timedelta(days=1), today - datetime.timedelta(days=1))
        _pay(instalment.record, instalment, admin, paid_on)
        paid += 1
    return f"演示通知：已录入{today.year}年预算，本次拨付{paid}笔。"
