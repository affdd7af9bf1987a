"""Filled applications of both project types for the document tests, built through the application services."""

import pytest
from django.core.cache import cache

from shenbao.accounts.roles import Role
from tests.factories import UserFactory, load_call
from tests.paths import JINCHENG_2022

from . import builders
from .builders import make_bureaus, make_regions


@pytest.fixture(autouse=True)
def _fresh_rate_limit_counters():
    # The verification page counts requests per address in the cache; every test starts from zero.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def regions(db):
    return make_regions()


@pytest.fixture
def call(regions):
    return load_call(JINCHENG_2022)


@pytest.fixture
def bureaus(regions):
    return make_bureaus(regions)


@pytest.fixture
def make_filled_application(call, regions, bureaus):
    counter = iter(range(100, 200))

    def make(project_type_code="workstation", *, name=None, region_key="zezhou"):
        return builders.make_filled_application(
            call=call,
            regions=regions,
            credit_number=next(counter),
            project_type_code=project_type_code,
            name=name,
            region_key=region_key,
        )

    return make


@pytest.fixture
def workstation_application(make_filled_application):
    return make_filled_application("workstation")


@pytest.fixture
def training_base_application(make_filled_application):
    return make_filled_application("training_base")


@pytest.fixture
def reviewer_of(bureaus):
    def make(region_key):
        return UserFactory(organisation=bureaus[region_key], roles=[Role.COUNTY_REVIEWER])

    return make
