"""Filled applications of both project types for the document tests, built through the application services."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from shenbao.acceptance.periods import construction_years
from shenbao.accounts.roles import Role
from shenbao.applications.models import Application, ApplicationVersion
from shenbao.applications.services import save_section, start_application
from shenbao.applications.workflow import ApplicationStatus
from shenbao.organisations.models import Organisation, UnitType
from tests.factories import (
    GovernmentBodyFactory,
    OrganisationFactory,
    UserFactory,
    load_call,
    make_credit_code,
    make_region_tree,
)

from .filled import sections_for

JINCHENG_2022 = Path(settings.BASE_DIR) / "calls" / "jincheng-2022.yaml"
BEIJING = datetime.timezone(datetime.timedelta(hours=8))
WHILE_OPEN = datetime.datetime(2022, 12, 5, 10, 0, tzinfo=BEIJING)
UNIT_PHONE = "13935612345"


@pytest.fixture(autouse=True)
def _fresh_rate_limit_counters():
    # The verification page counts requests per address in the cache; every test starts from zero.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def regions(db):
    _city, (zezhou, chengqu) = make_region_tree(counties=(("140525", "泽州县"), ("140502", "城区")))
    return {"zezhou": zezhou, "chengqu": chengqu}


@pytest.fixture
def call(regions):
    return load_call(JINCHENG_2022)


@pytest.fixture
def bureaus(regions):
    return {
        key: GovernmentBodyFactory(
            name=f"{region.name}人力资源和社会保障局", region=region, function=Organisation.Function.COUNTY_HR_BUREAU
        )
        for key, region in regions.items()
    }


def make_unit(*, name, unit_type_code, region, credit_number):
    return OrganisationFactory(
        name=name,
        unit_type=UnitType.objects.get(code=unit_type_code),
        region=region,
        credit_code=make_credit_code(credit_number, division=region.key),
        legal_representative="王大明",
        contact_name="李晓红",
        contact_phone=UNIT_PHONE,
        address="山西省晋城市泽州县金村镇工业园区8号",
    )


UNITS = {
    "workstation": ("晋城市金鼎精密机械制造有限公司", "enterprise"),
    "training_base": ("晋城职业技术学院", "vocational_college"),
}


def fill_application(*, project_type_code, call, unit, user):
    """Start an application and save every section with the realistic content of `filled.py`."""
    project_type = call.project_types.get(code=project_type_code)
    application = start_application(call=call, project_type=project_type, unit=unit, user=user, at=WHILE_OPEN)
    for key, data in sections_for(project_type_code, construction_years(project_type)).items():
        application = save_section(
            application=application, section_key=key, data=data, user=user, expected_revision=application.revision
        )
    return application


@pytest.fixture
def make_filled_application(call, regions, bureaus):
    counter = iter(range(100, 200))

    def make(project_type_code="workstation", *, name=None, region_key="zezhou"):
        default_name, unit_type_code = UNITS[project_type_code]
        unit = make_unit(
            name=name or default_name,
            unit_type_code=unit_type_code,
            region=regions[region_key],
            credit_number=next(counter),
        )
        user = UserFactory(organisation=unit, roles=[Role.APPLICANT], full_name="李晓红")
        application = fill_application(project_type_code=project_type_code, call=call, unit=unit, user=user)
        application.applicant = user
        return application

    return make


@pytest.fixture
def workstation_application(make_filled_application):
    return make_filled_application("workstation")


@pytest.fixture
def training_base_application(make_filled_application):
    return make_filled_application("training_base")


@pytest.fixture(params=["workstation", "training_base"])
def filled_application(request, make_filled_application):
    return make_filled_application(request.param)


def mark_submitted(application, *, at=WHILE_OPEN):
    """Put a filled draft into the submitted state with its first version, as the submit step would.

    The real submission needs uploaded materials; the document tests only need the resulting state.
    """
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.SUBMITTED, submitted_at=at)
    ApplicationVersion.objects.create(
        application=application,
        sequence=1,
        form_data=application.form_data,
        submitted_by=application.created_by,
        submitted_at=at,
    )
    refreshed = Application.objects.get(pk=application.pk)
    refreshed.applicant = getattr(application, "applicant", None)
    return refreshed


@pytest.fixture
def reviewer_of(bureaus):
    def make(region_key):
        return UserFactory(organisation=bureaus[region_key], roles=[Role.COUNTY_REVIEWER])

    return make
