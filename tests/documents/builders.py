"""Helpers of the document tests: applicant units with realistic details, applications filled with the content of
`filled.py` through the application services, and the submitted state the document pages need."""

import contextlib
import datetime
from dataclasses import dataclass, field

from django.db import transaction

from shenbao.accounts.roles import Role
from shenbao.applications.models import Application, ApplicationVersion
from shenbao.applications.services import start_application
from shenbao.applications.workflow import ApplicationStatus
from shenbao.calls.periods import construction_years
from shenbao.organisations.models import Organisation, UnitType
from tests.applications.builders import fill_sections
from tests.factories import (
    GovernmentBodyFactory,
    OrganisationFactory,
    UserFactory,
    load_call,
    make_credit_code,
    make_region_tree,
)
from tests.paths import JINCHENG_2022

from .filled import sections_for

BEIJING = datetime.timezone(datetime.timedelta(hours=8))
WHILE_OPEN = datetime.datetime(2022, 12, 5, 10, 0, tzinfo=BEIJING)
UNIT_PHONE = "13935612345"


def make_regions():
    """A city with two counties: 泽州县 (the units' county by default) and 城区."""
    _city, (zezhou, chengqu) = make_region_tree(counties=(("140525", "泽州县"), ("140502", "城区")))
    return {"zezhou": zezhou, "chengqu": chengqu}


# The city's bodies of the call's `recheck_bodies` functions, whose sign-off boxes close the 申报书.
CITY_BODIES = (
    ("中共晋城市委组织部", Organisation.Function.CITY_ORG_DEPARTMENT),
    ("晋城市人力资源和社会保障局", Organisation.Function.CITY_HR_BUREAU),
)


def make_bureaus(regions):
    """Each county's 人社局 (the first-review body named in the 申报书), and the city's bodies of 资格复核."""
    city = regions["zezhou"].parent
    for name, function in CITY_BODIES:
        GovernmentBodyFactory(name=name, region=city, function=function)
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
    sections = sections_for(project_type_code, construction_years(project_type))
    return fill_sections(application=application, user=user, sections=sections)


def make_filled_application(
    *, call, regions, credit_number, project_type_code="workstation", name=None, region_key="zezhou"
):
    """An application of a new unit of `region_key`, every section filled; `application.applicant` is its user."""
    default_name, unit_type_code = UNITS[project_type_code]
    unit = make_unit(
        name=name or default_name,
        unit_type_code=unit_type_code,
        region=regions[region_key],
        credit_number=credit_number,
    )
    user = UserFactory(organisation=unit, roles=[Role.APPLICANT], full_name="李晓红")
    application = fill_application(project_type_code=project_type_code, call=call, unit=unit, user=user)
    application.applicant = user
    return application


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


# --- Documents rendered once per test module -------------------------------------------------------------------
# WeasyPrint takes about a second per PDF and the set-up behind it several more; a module's tests read the same
# documents, so a module-scoped fixture builds the applications and renders everything once, in a transaction that
# is rolled back straight away (no row outlives it), and the tests read the bytes and the facts kept below.


@dataclass
class Rendered:
    """What the tests read of a filled application once its rows are gone: the facts printed on its documents and
    the documents themselves, by name."""

    number: str
    verification_code: str
    credit_code: str
    documents: dict[str, bytes] = field(default_factory=dict)

    @classmethod
    def of(cls, application):
        return cls(
            number=application.number,
            verification_code=application.verification_code,
            credit_code=application.unit.credit_code,
        )


@contextlib.contextmanager
def rolled_back(django_db_blocker):
    """Database access outside a test (in a module-scoped fixture), undone when the block ends."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def make_filled_applications():
    """One filled application of each project type (as `workstation_application` and `training_base_application`
    of conftest.py build them), by project type code."""
    regions = make_regions()
    make_bureaus(regions)
    call = load_call(JINCHENG_2022)
    return {
        code: make_filled_application(call=call, regions=regions, credit_number=number, project_type_code=code)
        for number, code in enumerate(UNITS, start=100)
    }
