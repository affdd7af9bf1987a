"""Fixtures of the funding tests: designated (授牌) applications of the real 2022 call (`builders.designate`), their
records and the users with no business with funding."""

import pytest

from shenbao.accounts.roles import Role
from shenbao.applications.services import start_application
from shenbao.funding.services import open_funding_record
from shenbao.organisations.models import Organisation
from tests.applications.builders import IN_TIME
from tests.factories import OrganisationFactory, PlatformFactory, UserFactory

from .builders import AFTER_DESIGNATION, DESIGNATED_ON, designate


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
