"""Fixtures for application tests: the real 2022 Jincheng call file and the real reference data."""

import pytest

from shenbao.accounts.roles import Role
from shenbao.applications.services import start_application
from shenbao.organisations.models import Organisation, Region, UnitType
from tests.calls.conftest import JINCHENG_2022
from tests.factories import OrganisationFactory, UserFactory, load_call, load_jincheng_reference

from .builders import IN_TIME, attach_required_materials, fill_sections, training_base_sections, workstation_sections


@pytest.fixture
def reference(db):
    return load_jincheng_reference()


@pytest.fixture
def call(reference):
    return load_call(JINCHENG_2022)


@pytest.fixture
def workstation_type(call):
    return call.project_types.get(code="workstation")


@pytest.fixture
def base_type(call):
    return call.project_types.get(code="training_base")


@pytest.fixture
def make_unit(call):
    """An applicant unit of a unit type of the call, in a county (城区 by default) or city-direct."""

    def make(unit_type="enterprise", region="140502", competent_department=None, **fields):
        return OrganisationFactory(
            unit_type=UnitType.objects.get(code=unit_type),
            region=Region.objects.get(key=region),
            is_city_direct=competent_department is not None,
            competent_department=competent_department,
            **fields,
        )

    return make


@pytest.fixture
def make_applicant():
    def make(unit):
        return UserFactory(organisation=unit, roles=[Role.APPLICANT])

    return make


@pytest.fixture
def unit(make_unit):
    return make_unit(name="晋城市精工机械有限公司")


@pytest.fixture
def applicant(make_applicant, unit):
    return make_applicant(unit)


def county_bureau_of(region_key):
    return Organisation.objects.get(function=Organisation.Function.COUNTY_HR_BUREAU, region__key=region_key)


@pytest.fixture
def county_bureau(reference):
    return county_bureau_of("140502")


@pytest.fixture
def county_reviewer(county_bureau):
    return UserFactory(organisation=county_bureau, roles=[Role.COUNTY_REVIEWER])


@pytest.fixture
def draft(call, workstation_type, unit, applicant):
    """A fresh workstation draft of `unit`."""
    return start_application(call=call, project_type=workstation_type, unit=unit, user=applicant, at=IN_TIME)


@pytest.fixture
def ready_draft(draft, applicant):
    """A workstation draft that satisfies every submission guard (complete form, 3 qualified members, files)."""
    application = fill_sections(application=draft, user=applicant, sections=workstation_sections())
    attach_required_materials(application=application, user=applicant)
    return application


@pytest.fixture
def make_base_draft(call, base_type, make_unit, make_applicant):
    """A training-base draft for a unit of `unit_type`, filled with `training_base_sections(**counts)`."""

    def make(unit_type="vocational_college", **counts):
        unit = make_unit(unit_type=unit_type)
        user = make_applicant(unit)
        application = start_application(call=call, project_type=base_type, unit=unit, user=user, at=IN_TIME)
        return fill_sections(application=application, user=user, sections=training_base_sections(**counts))

    return make


# --- Fixtures of the page tests (tests/applications/test_views*.py) -------------------------------------------


@pytest.fixture
def open_call(call):
    """The 2022 call with its deadline moved a month past the real clock, so pages can start and submit."""
    import datetime

    from django.utils import timezone

    call.submission_deadline = timezone.now() + datetime.timedelta(days=30)
    call.save(update_fields=["submission_deadline"])
    return call


@pytest.fixture
def submitted(ready_draft, applicant):
    """`ready_draft` submitted in time (版本1 exists, routed to the 城区 bureau)."""
    from shenbao.applications.services import fire_transition

    return fire_transition(application=ready_draft, name="submit", actor=applicant, at=IN_TIME)


@pytest.fixture
def staff_of():
    """A user of a reference organisation (by exact name) holding `role`."""

    def make(name, role):
        return UserFactory(organisation=Organisation.objects.get(name=name), roles=[role])

    return make
