import datetime

import pytest
from django.utils import timezone

from shenbao.accounts.roles import Role
from shenbao.apiaccess.services import create_service_account
from shenbao.organisations.models import Organisation
from tests.core.test_cities import BASE, REFERENCE, submitted
from tests.factories import PlatformFactory, UserFactory, load_call, load_reference


@pytest.fixture
def two_cities(db):
    """晋城 and the example city 长治, each with its 2022 call and one submitted application."""
    for path in REFERENCE:
        load_reference(path)
    jincheng = load_call(BASE / "calls" / "jincheng-2022.yaml")
    changzhi = load_call(BASE / "calls" / "changzhi-2022.yaml")
    return {
        "jincheng": jincheng,
        "changzhi": changzhi,
        "jincheng_application": submitted(jincheng, region="140502", name="晋城市接口测试机械有限公司"),
        "changzhi_application": submitted(changzhi, region="140403", name="长治市接口测试机械有限公司"),
    }


@pytest.fixture
def sysadmin(db):
    return UserFactory(
        username="sysadmin", full_name="周系统", organisation=PlatformFactory(), roles=[Role.SYSTEM_ADMIN]
    )


@pytest.fixture
def city_key(two_cities, sysadmin):
    """A usable key reading as 晋城市人社局's city reviewer (the account and the key)."""
    return create_service_account(
        name="晋城市人社信息系统",
        organisation=Organisation.objects.get(name="晋城市人力资源和社会保障局"),
        role=Role.CITY_REVIEWER,
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
        actor=sysadmin,
    )
