from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import RegionFactory, load_call

JINCHENG_2022 = Path(settings.BASE_DIR) / "calls" / "jincheng-2022.yaml"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def jincheng_city(db):
    return RegionFactory(key="140500", level="city", name="晋城市")


@pytest.fixture
def jincheng_call(jincheng_city):
    return load_call(JINCHENG_2022)
