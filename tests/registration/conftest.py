import pytest
from django.core.cache import cache

from shenbao.organisations.models import Organisation, Region
from tests.factories import UnitTypeFactory, load_jincheng_reference


@pytest.fixture(autouse=True)
def _empty_cache():
    # The registration throttle counts in the cache; locmem outlives a test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def reference(db):
    load_jincheng_reference()
    UnitTypeFactory(code="enterprise", name="企业")
    UnitTypeFactory(code="vocational_college", name="职业院校")


@pytest.fixture
def region(reference):
    return lambda key: Region.objects.get(key=key)


@pytest.fixture
def body(reference):
    return lambda name: Organisation.objects.get(name=name)


@pytest.fixture
def strong_password():
    return "Qinshui#2022reg"
