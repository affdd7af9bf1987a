"""Fixtures of the scoring tests only: the real 2022 call (its rubrics, step, pass line, quota and aggregation method)
and reference data, five experts, a panel and assignments. `make_waiting` and `make_panel` are shared
(tests/fixtures/scoring.py); score sheets always go through `shenbao.scoring.services` (builders.py).
"""

import pytest

from shenbao.accounts.roles import Role
from shenbao.organisations.models import Organisation
from tests.factories import PlatformFactory, UserFactory

from .builders import assign, make_expert, submit


@pytest.fixture
def experts():
    return [make_expert(f"评审专家{n}") for n in range(1, 6)]


@pytest.fixture
def chair(experts):
    return experts[0]


@pytest.fixture
def panel(make_panel, experts, chair):
    return make_panel(experts=experts, chair=chair)


@pytest.fixture
def application(make_waiting):
    return make_waiting(name="晋城市评分精工机械有限公司", complete=True)


@pytest.fixture
def assignments(panel, application, experts):
    """All five experts assigned to `application`."""
    return assign(panel, application, experts)


@pytest.fixture
def outsiders(reference, make_unit):
    """A user of every other role, and an expert without any assignment."""

    def staff(name, role):
        return UserFactory(organisation=Organisation.objects.get(name=name), roles=[role])

    return {
        "other_expert": make_expert("局外专家"),
        "applicant": UserFactory(organisation=make_unit(name="晋城市局外机械有限公司"), roles=[Role.APPLICANT]),
        "county_reviewer": staff("晋城市城区人力资源和社会保障局", Role.COUNTY_REVIEWER),
        "city_reviewer": staff("晋城市人力资源和社会保障局", Role.CITY_REVIEWER),
        "consulted_department": staff("国家税务总局晋城市税务局", Role.CONSULTED_DEPARTMENT),
        "system_admin": UserFactory(organisation=PlatformFactory(), roles=[Role.SYSTEM_ADMIN]),
    }


@pytest.fixture
def make_scored(make_waiting, panel, experts):
    """An application scored by the five panel experts: `sheets` is one (material, defence) per expert; fewer
    pairs than experts leave the rest of the sheets unsubmitted (the application is then pending)."""

    def make(name, sheets, region="140502"):
        application = make_waiting(name=name, region=region)
        for assignment, (material, defence) in zip(assign(panel, application, experts), sheets, strict=False):
            submit(assignment, material=material, defence=defence)
        return application

    return make
