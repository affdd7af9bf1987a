import pytest

from shenbao.calls.services import load_call_file
from tests.factories import RegionFactory
from tests.paths import JINCHENG_2022


@pytest.fixture
def jincheng_city(db):
    return RegionFactory(key="140500", level="city", name="晋城市")


@pytest.fixture
def jincheng_call(jincheng_city):
    return load_call_file(path=JINCHENG_2022)
