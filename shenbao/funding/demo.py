"""Demo data of funding (演示数据): the 2023 appropriation of the 2022 call's fund source, entered by the demo call
administrator, and the records of any demo unit already designated. Idempotent, like the rest of `seed_demo`."""

from decimal import Decimal

from shenbao.accounts.models import User
from shenbao.calls.models import Call

from .models import Appropriation
from .services import open_missing_funding_records, save_appropriation

DEMO_CALL = "jincheng-2022"
ADMIN = "skills_admin"
DEMO_YEAR = 2023
# Room for the start-up instalments of a full quota (10 × 120,000 + 10 × 80,000).
DEMO_AMOUNT = Decimal("2000000.00")


def seed_funding():
    """Returns a Chinese summary line."""
    call = Call.objects.filter(slug=DEMO_CALL).first()
    admin = User.objects.filter(username=ADMIN).first()
    if call is None or admin is None or not call.fund_source:
        return "未找到演示申报通知或申报管理员,跳过经费演示数据。"
    opened = open_missing_funding_records(call=call, actor=admin)
    if Appropriation.objects.filter(city=call.city, fund_source=call.fund_source, year=DEMO_YEAR).exists():
        return f"{DEMO_YEAR}年预算已存在,未新建;新建经费台账 {len(opened)} 个。"
    save_appropriation(actor=admin, fund_source=call.fund_source, year=DEMO_YEAR, amount=DEMO_AMOUNT)
    return f"已录入{DEMO_YEAR}年“{call.fund_source}”预算 {DEMO_AMOUNT:,.2f} 元;新建经费台账 {len(opened)} 个。"
