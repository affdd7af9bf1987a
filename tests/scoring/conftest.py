# ruff: noqa: F811 (pytest fixtures imported from other conftest modules are parameters here)
"""Fixtures of the scoring tests: the real 2022 call (its rubrics, step, pass line, quota and aggregation method)
and reference data, applications waiting in 专家评审, experts, a panel and assignments.

Panels and assignments are written with the ORM here (the experts app owns their services and tests them); score
sheets always go through `shenbao.scoring.services`, as the pages and the API do.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from shenbao.accounts.roles import Role
from shenbao.applications.models import Application
from shenbao.applications.services import start_application
from shenbao.applications.workflow import ApplicationStatus
from shenbao.experts.models import Assignment, Panel, PanelMember
from shenbao.organisations.models import Organisation
from shenbao.scoring.selectors import list_rubric_items
from shenbao.scoring.services import submit_sheet
from tests.applications.builders import IN_TIME, attach_required_materials, fill_sections, workstation_sections
from tests.applications.conftest import (  # noqa: F401 (fixtures)
    base_type,
    call,
    make_applicant,
    make_unit,
    reference,
    workstation_type,
)
from tests.factories import OrganisationFactory, PlatformFactory, UserFactory
from tests.review.conftest import call_admin_user, hr_reviewer  # noqa: F401 (fixtures)

OPINION_DUE = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
D = Decimal


def reload(application):
    """A fresh copy (the protected FSM field cannot be refreshed in place)."""
    return Application.objects.get(pk=application.pk)


def make_expert(name="专家", **fields):
    work_unit = OrganisationFactory(kind=Organisation.Kind.OTHER, unit_type=None, credit_code=None)
    return UserFactory(organisation=work_unit, roles=[Role.EXPERT], full_name=name, **fields)


@pytest.fixture
def make_waiting(call, workstation_type, make_unit, make_applicant):
    """An application of a new unit standing in 专家评审 (moved there directly; the review tests cover the way)."""

    def make(name=None, region="140502", project_type=None, complete=False):
        project_type = project_type or workstation_type
        unit_type = "enterprise" if project_type.code == "workstation" else "vocational_college"
        unit = make_unit(region=region, unit_type=unit_type, **({"name": name} if name else {}))
        user = make_applicant(unit)
        application = start_application(call=call, project_type=project_type, unit=unit, user=user, at=IN_TIME)
        if complete:
            application = fill_sections(application=application, user=user, sections=workstation_sections())
            attach_required_materials(application=application, user=user)
        Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.EXPERT_REVIEW)
        return reload(application)

    return make


@pytest.fixture
def make_panel(call, workstation_type, call_admin_user):
    def make(*, experts, chair=None, project_type=None):
        project_type = project_type or workstation_type
        panel = Panel.objects.create(
            call=call,
            project_type=project_type,
            name=f"{project_type.name}评审专家组",
            chair=chair,
            experts_per_application=len(experts),
            created_by=call_admin_user,
        )
        for expert in experts:
            PanelMember.objects.create(panel=panel, expert=expert)
        return panel

    return make


def assign(panel, application, experts):
    return [
        Assignment.objects.create(panel=panel, application=application, expert=expert, assigned_at=timezone.now())
        for expert in experts
    ]


def spread(items, total):
    """Points per item of `items` adding up to `total` (greedy, each item up to its maximum)."""
    remaining = D(total)
    points = {}
    for item in items:
        given = min(item.max_points, remaining)
        points[item.code] = given
        remaining -= given
    assert remaining == 0, f"{total} exceeds the items' maxima"
    return points


def scores_for(project_type, *, material, defence, comment=""):
    """{code: {"points", "comment"}} giving `material` points to the 资料审查 items and `defence` to 答辩."""
    items = list(list_rubric_items(project_type=project_type))
    points = spread([item for item in items if item.group == "material"], material)
    points |= spread([item for item in items if item.group == "defence"], defence)
    return {code: {"points": str(value), "comment": comment} for code, value in points.items()}


def submit(assignment, *, material, defence, opinion="同意推荐。"):
    """The assigned expert submits a sheet with the given material and defence totals."""
    return submit_sheet(
        assignment=assignment,
        expert=assignment.expert,
        scores=scores_for(assignment.application.project_type, material=material, defence=defence),
        overall_opinion=opinion,
    )


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
def other_city_admin(reference):
    """A call administrator of another city (太原), who must see none of Jincheng's scoring."""
    from tests.factories import GovernmentBodyFactory, make_region_tree

    city, _counties = make_region_tree(city_key="140100", city_name="太原市", counties=(("140105", "小店区"),))
    office = GovernmentBodyFactory(
        name="太原市人力资源和社会保障局技能办", function=Organisation.Function.CITY_SKILLS_OFFICE, region=city
    )
    return UserFactory(organisation=office, roles=[Role.CALL_ADMIN])


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


def uniform(material, defence, experts=5):
    return [(material, defence)] * experts
