import pytest

from tests.factories import RegionFactory, load_call
from tests.paths import JINCHENG_2022


@pytest.fixture
def jincheng_city(db):
    return RegionFactory(key="140500", level="city", name="晋城市")


@pytest.fixture
def jincheng_call(jincheng_city):
    return load_call(JINCHENG_2022)
