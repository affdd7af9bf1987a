# ruff: noqa: F811 (pytest fixtures imported from other conftest modules are parameters here)
"""Fixtures of the funding tests: the real 2022 call and reference data, and designated (授牌) applications.

`designate` gives a started application the state the award step leaves behind (a plaque in a designation
document, status 已授牌) without the twenty steps before it, so tests can have many records; the end-to-end path
through the real award step is covered by `tests/funding/test_award_opens_record.py` with the award tests'
fixtures.
"""

import datetime

import pytest

from shenbao.accounts.roles import Role
from shenbao.applications.models import Application
from shenbao.applications.services import start_application
from shenbao.applications.workflow import ApplicationStatus
from shenbao.awards.models import Designation, Plaque
from shenbao.funding.services import open_funding_record
from shenbao.organisations.models import Organisation
from tests.applications.builders import IN_TIME
from tests.applications.conftest import (  # noqa: F401 (fixtures)
    base_type,
    call,
    make_applicant,
    make_unit,
    reference,
    workstation_type,
)
from tests.factories import GovernmentBodyFactory, OrganisationFactory, PlatformFactory, UserFactory, make_region_tree
from tests.review.conftest import call_admin_user  # noqa: F401 (fixture)

DESIGNATED_ON = datetime.date(2022, 12, 20)
AFTER_DESIGNATION = datetime.datetime(2023, 1, 10, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
PASSED_ON = datetime.date(2025, 3, 15)
LATER = datetime.datetime(2025, 4, 1, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


def reload(application):
    return Application.objects.get(pk=application.pk)


def designate(application, *, issued_on=DESIGNATED_ON, admin=None):
    """Give `application` its plaque in the call-wide designation and the 已授牌 state."""
    admin = admin or UserFactory(
        organisation=Organisation.objects.get(name="晋城市人力资源和社会保障局技能办"), roles=[Role.CALL_ADMIN]
    )
    designation, _created = Designation.objects.get_or_create(
        call=application.call,
        project_type=None,
        defaults={"title": "关于命名的通知", "issued_on": issued_on, "issuing_bodies": [], "created_by": admin},
    )
    sequence = Plaque.objects.filter(application__project_type=application.project_type).count() + 1
    Plaque.objects.create(
        application=application,
        designation=designation,
        title=application.project_type.plaque_title,
        number=f"{application.project_type.code[:4].upper()}-{application.call.year}-{sequence:02d}",
        sequence=sequence,
        issued_on=issued_on,
    )
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.AWARDED)
    return reload(application)


@pytest.fixture
def make_designated(call, make_unit, make_applicant):
    """A designated application of a new unit (workstation: an enterprise; training base: a college)."""

    def make(code="workstation", *, region="140502", name=None, issued_on=DESIGNATED_ON, open_record=True):
        project_type = call.project_types.get(code=code)
        unit_type = "enterprise" if code == "workstation" else "vocational_college"
        unit = make_unit(unit_type=unit_type, region=region, **({"name": name} if name else {}))
        user = make_applicant(unit)
        application = start_application(call=call, project_type=project_type, unit=unit, user=user, at=IN_TIME)
        application = designate(application, issued_on=issued_on)
        if open_record:
            open_funding_record(application=application, at=AFTER_DESIGNATION)
        return application

    return make


@pytest.fixture
def workstation(make_designated):
    return make_designated("workstation", name="晋城市精工机械有限公司")


@pytest.fixture
def training_base(make_designated):
    return make_designated("training_base", region="140521", name="晋城职业技术学院")


@pytest.fixture
def record(workstation):
    return workstation.funding_record


@pytest.fixture
def unit_applicant(workstation):
    return UserFactory(organisation=workstation.unit, roles=[Role.APPLICANT])


@pytest.fixture
def other_city_admin(reference):
    """A call administrator of another city (太原), who must see none of Jincheng's funding."""
    city, _counties = make_region_tree(city_key="140100", city_name="太原市", counties=(("140105", "小店区"),))
    office = GovernmentBodyFactory(
        name="太原市人力资源和社会保障局技能办", function=Organisation.Function.CITY_SKILLS_OFFICE, region=city
    )
    return UserFactory(organisation=office, roles=[Role.CALL_ADMIN])


@pytest.fixture
def other_roles(reference, make_unit):
    """Users of roles that have no business with funding, and an applicant of another unit."""

    def staff(name, role):
        return UserFactory(organisation=Organisation.objects.get(name=name), roles=[role])

    return {
        "other_applicant": UserFactory(organisation=make_unit(name="晋城市另一家机械有限公司"), roles=[Role.APPLICANT]),
        "county_reviewer": staff("晋城市城区人力资源和社会保障局", Role.COUNTY_REVIEWER),
        "city_reviewer": staff("晋城市人力资源和社会保障局", Role.CITY_REVIEWER),
        "consulted_department": staff("国家税务总局晋城市税务局", Role.CONSULTED_DEPARTMENT),
        "expert": UserFactory(
            organisation=OrganisationFactory(kind=Organisation.Kind.OTHER, unit_type=None, credit_code=None),
            roles=[Role.EXPERT],
        ),
        "system_admin": UserFactory(organisation=PlatformFactory(), roles=[Role.SYSTEM_ADMIN]),
    }
