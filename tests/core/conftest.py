import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory
import pytest

from shenbao.accounts.roles import Role
from shenbao.calls.models import Call, ProjectType
from tests.factories import GovernmentBodyFactory, PlatformFactory, RegionFactory, UserFactory

BEIJING = ZoneInfo("Asia/Shanghai")


class CityFactory(RegionFactory):
    key = "140500"
    name = "晋城市"
    level = "city"


class CallFactory(factory.django.DjangoModelFactory):
    """A bare call for page tests; the real 2022 call comes from calls/jincheng-2022.yaml via the loader."""

    class Meta:
        model = Call

    slug = factory.Sequence(lambda n: f"test-call-{n}")
    city = factory.SubFactory(CityFactory)
    year = 2022
    application_number_prefix = factory.Sequence(lambda n: f"T{n}")
    title = factory.Sequence(lambda n: f"测试申报通知{n}")
    published_on = datetime.date(2022, 12, 2)
    submission_deadline = datetime.datetime(2022, 12, 8, 23, 59, 59, tzinfo=BEIJING)
    contact_name = "郭大勇"
    contact_phone = "2199488"
    source_file = "tests"
    source_sha256 = "0" * 64


class ProjectTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectType

    call = factory.SubFactory(CallFactory)
    code = factory.Sequence(lambda n: f"type-{n}")
    name = "市级技师工作站"
    plaque_title = "晋城市技师工作站"
    quota_min = 5
    quota_max = 10
    funding_amount = Decimal("300000.00")
    construction_start = datetime.date(2023, 1, 1)
    construction_end = datetime.date(2024, 12, 31)


@pytest.fixture
def make_call():
    """A call with two project types; `open_now=True` moves its dates around the current time."""

    def make(*, open_now=False, **kwargs):
        if open_now:
            now = datetime.datetime.now(tz=BEIJING)
            kwargs.setdefault("published_on", now.date() - datetime.timedelta(days=1))
            kwargs.setdefault("submission_deadline", now + datetime.timedelta(days=5))
        call = CallFactory(**kwargs)
        ProjectTypeFactory(call=call, code="workstation", sort_order=1)
        ProjectTypeFactory(
            call=call,
            code="base",
            name="市级技能人才培养基地",
            plaque_title="晋城市技能人才培养基地",
            funding_amount=Decimal("200000.00"),
            sort_order=2,
        )
        return call

    return make


@pytest.fixture
def platform():
    return PlatformFactory(name="平台运维单位")


@pytest.fixture
def applicant():
    return UserFactory(full_name="王经办", roles=[Role.APPLICANT])


@pytest.fixture
def county_reviewer():
    return UserFactory(full_name="赵初审", organisation=GovernmentBodyFactory(), roles=[Role.COUNTY_REVIEWER])


@pytest.fixture
def audit_admin(platform):
    return UserFactory(full_name="钱审计", organisation=platform, roles=[Role.AUDIT_ADMIN])


@pytest.fixture
def system_admin(platform):
    return UserFactory(full_name="孙系统", organisation=platform, roles=[Role.SYSTEM_ADMIN])
