"""Fixtures for the 公示 tests: applications that reached 征求意见 with every opinion answered, and a call admin.

The steps before 征求意见 (初审, 复核, 专家评审, propose) are the review and opinions apps' subject and are tested
there; here an application is moved to `soliciting` directly and given answered OpinionRequest rows, so the
real `publish_in_notice` step (with the opinions guard) runs through `fire_transition`.
"""

import datetime

import pytest

from shenbao.accounts.roles import Role
from shenbao.applications.models import Application
from shenbao.applications.services import fire_transition, start_application
from shenbao.applications.workflow import ApplicationStatus
from shenbao.opinions.models import OpinionRequest
from shenbao.organisations.models import Organisation
from tests.applications.builders import BEIJING, IN_TIME, attach_required_materials, fill_sections, workstation_sections
from tests.applications.conftest import call, make_applicant, make_unit, reference, workstation_type  # noqa: F401
from tests.factories import UserFactory

# Publication: Monday 2022-12-19, Beijing time; the default period (5 working days, first day counted) ends Friday.
PUBLISH_AT = datetime.datetime(2022, 12, 19, 9, 0, tzinfo=BEIJING)
START = datetime.date(2022, 12, 19)
END = datetime.date(2022, 12, 23)


@pytest.fixture
def call_admin(reference):  # noqa: F811
    office = Organisation.objects.get(function=Organisation.Function.CITY_SKILLS_OFFICE)
    return UserFactory(organisation=office, roles=[Role.CALL_ADMIN])


@pytest.fixture
def tax_bureau(reference):  # noqa: F811
    return Organisation.objects.get(function=Organisation.Function.TAX_BUREAU)


def answer_opinions(*, application, department, admin, response=OpinionRequest.Response.NO_OBJECTION):
    OpinionRequest.objects.create(
        application=application,
        department=department,
        basis=OpinionRequest.Basis.CONSULTED,
        due_on=datetime.date(2022, 12, 16),
        requested_at=IN_TIME,
        requested_by=admin,
        response=response,
        responded_at=IN_TIME if response else None,
    )


@pytest.fixture
def make_soliciting(call, workstation_type, make_unit, make_applicant, call_admin, tax_bureau):  # noqa: F811
    """A submitted workstation application of a new unit, moved to 征求意见 with its opinions answered."""

    def make(name=None, region="140502", response=OpinionRequest.Response.NO_OBJECTION):
        unit = make_unit(region=region, **({"name": name} if name else {}))
        user = make_applicant(unit)
        application = start_application(call=call, project_type=workstation_type, unit=unit, user=user, at=IN_TIME)
        fill_sections(application=application, user=user, sections=workstation_sections())
        attach_required_materials(application=application, user=user)
        fire_transition(application=application, name="submit", actor=user, at=IN_TIME)
        Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.SOLICITING)
        answer_opinions(application=application, department=tax_bureau, admin=call_admin, response=response)
        return Application.objects.get(pk=application.pk)  # protected FSM field: a fresh instance, not refresh

    return make


@pytest.fixture
def published(call, call_admin, make_soliciting):  # noqa: F811
    """A notice of two units (城区 and 阳城县) published on START, ending END."""
    from shenbao.notices.services import publish_notice

    first = make_soliciting(name="晋城市精工机械有限公司")
    second = make_soliciting(name="阳城县华阳机电有限公司", region="140522")
    result = publish_notice(
        call=call,
        title="2022年市级技师工作站和技能人才培养基地拟授牌单位公示",
        body="经单位申报、资格审核、专家评审、征求意见，现将拟授牌单位予以公示。",
        start_date=START,
        contact_name="郭大勇",
        contact_phone="2199488",
        contact_address="晋城市人力资源和社会保障局201室",
        user=call_admin,
        at=PUBLISH_AT,
    )
    assert not result.refused
    result.first, result.second = first, second
    return result
