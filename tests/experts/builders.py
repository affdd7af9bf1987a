"""Helpers of the expert tests: experts made through the services, and applications put straight into 专家评审
(the steps before it are tested by the review app)."""

import itertools

from shenbao.accounts.roles import Role
from shenbao.applications.models import Application
from shenbao.applications.workflow import ApplicationStatus
from shenbao.experts.panels import add_panel_members, create_panel
from shenbao.experts.services import create_expert
from shenbao.organisations.models import Region, UnitType
from tests.factories import OrganisationFactory, UserFactory

SKILLS_OFFICE = "晋城市人力资源和社会保障局技能办"
COUNTIES = ("140502", "140521", "140522", "140524", "140525", "140581")
_numbers = itertools.count(1)


def region(key):
    return Region.objects.get(key=key)


def make_unit(region_key="140502", name=None):
    extra = {"name": name} if name else {}
    return OrganisationFactory(
        unit_type=UnitType.objects.get(code="enterprise"), region=region(region_key), is_city_direct=False, **extra
    )


def make_expert(admin, *, name=None, unit_name=None, region_key="140502", phone="", email="", **extra):
    number = next(_numbers)
    return create_expert(
        actor=admin,
        full_name=name or f"专家{number}",
        work_unit_name=unit_name or f"晋城市第{number}研究院",
        region=region(region_key),
        title="高级技师",
        specialties=["电工"],
        phone=phone,
        email=email,
        **extra,
    )


def make_application(unit, project_type, *, status=ApplicationStatus.EXPERT_REVIEW):
    number = next(_numbers)
    creator = UserFactory(organisation=unit, roles=[Role.APPLICANT])
    return Application.objects.create(
        number=f"T{project_type.code[:2].upper()}{number:05d}",
        call=project_type.call,
        project_type=project_type,
        unit=unit,
        status=status,
        created_by=creator,
    )


def call_file_says(call, *, experts_per_application):
    """The call as if its file set `experts_per_application` (the panels' floor), in memory and in the database."""
    type(call).objects.filter(pk=call.pk).update(experts_per_application=experts_per_application)
    call.experts_per_application = experts_per_application


def make_panel(admin, call, project_type, experts=(), *, per_application=3, exclude_same_county=True):
    call_file_says(call, experts_per_application=per_application)
    panel = create_panel(
        call=call,
        project_type=project_type,
        actor=admin,
        experts_per_application=per_application,
        exclude_same_county=exclude_same_county,
    )
    if experts:
        add_panel_members(panel=panel, actor=admin, experts=[profile.user for profile in experts])
    return panel
