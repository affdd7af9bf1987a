"""The funding demo data: the 2023 appropriation, entered once however often `seed_demo` runs."""

from decimal import Decimal

import pytest

from shenbao.accounts.roles import Role
from shenbao.funding.demo import seed_funding
from shenbao.funding.models import Appropriation, FundingRecord
from shenbao.organisations.models import Organisation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_seed_funding_enters_the_2023_appropriation_once(call):
    UserFactory(
        username="skills_admin",
        organisation=Organisation.objects.get(name="晋城市人力资源和社会保障局技能办"),
        roles=[Role.CALL_ADMIN],
    )

    first = seed_funding()
    second = seed_funding()

    appropriation = Appropriation.objects.get()
    assert (appropriation.fund_source, appropriation.year) == ("市本级职业技能提升工程工作经费", 2023)
    assert appropriation.amount == Decimal("2000000.00")
    assert "已录入2023年" in first and "已存在" in second
    assert not FundingRecord.objects.exists()


def test_seed_funding_skips_without_the_demo_administrator(call):
    assert "跳过" in seed_funding()
    assert not Appropriation.objects.exists()
