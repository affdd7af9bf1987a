"""A varied dataset for the leadership's statistics: two cities (晋城, 长治) from the repository's reference data,
two calls of 晋城 in two years and one of 长治, applications in several counties, unit types, industries and states,
each with the StateLog of the path it took, designations with their funding records, progress reports and
acceptance evaluations. Rows are written directly (the workflow has its own tests); the statistics read them."""

import datetime
import itertools
from pathlib import Path

from django.conf import settings
from django_fsm_log.models import StateLog

from shenbao.acceptance.models import AcceptanceEvaluation, ProgressReport
from shenbao.accounts.roles import Role
from shenbao.applications.models import Application
from shenbao.applications.search_columns import search_columns_of
from shenbao.applications.workflow import ApplicationStatus
from shenbao.awards.models import Designation, Plaque
from shenbao.funding.models import Appropriation
from shenbao.funding.services import open_funding_record
from shenbao.organisations.models import Organisation, Region, UnitType
from tests.factories import OrganisationFactory, UserFactory, load_call, load_reference

S = ApplicationStatus
BASE = Path(settings.BASE_DIR)
PASSWORD = "Test#pass2022"
SKILLS_OFFICE = "晋城市人力资源和社会保障局技能办"
CITY_BUREAU = "晋城市人力资源和社会保障局"

# The states an application passed through to reach each state (the workflow's main line and its stops).
PATHS = {
    S.SUBMITTED: (S.SUBMITTED,),
    S.RETURNED: (S.SUBMITTED, S.RETURNED),
    S.REJECTED: (S.SUBMITTED, S.REJECTED),
    S.RECHECK: (S.SUBMITTED, S.RECHECK),
    S.EXPERT_REVIEW: (S.SUBMITTED, S.RECHECK, S.EXPERT_REVIEW),
    S.NOT_SELECTED: (S.SUBMITTED, S.RECHECK, S.EXPERT_REVIEW, S.NOT_SELECTED),
    S.SOLICITING: (S.SUBMITTED, S.RECHECK, S.EXPERT_REVIEW, S.SOLICITING),
    S.IN_NOTICE: (S.SUBMITTED, S.RECHECK, S.EXPERT_REVIEW, S.SOLICITING, S.IN_NOTICE),
    S.AWARDED: (S.SUBMITTED, S.RECHECK, S.EXPERT_REVIEW, S.SOLICITING, S.IN_NOTICE, S.AWARDED),
}
_NUMBERS = itertools.count(1)


def load_cities():
    for name in ("jincheng", "changzhi"):
        load_reference(BASE / "data" / "reference" / f"{name}.yaml")
    jincheng = load_call(BASE / "calls" / "jincheng-2022.yaml")
    changzhi = load_call(BASE / "calls" / "changzhi-2022.yaml")
    return jincheng, changzhi


def second_call(original, *, year):
    """A copy of `original` for `year` with the same project types (another year's call of the same city)."""
    call = type(original).objects.get(pk=original.pk)
    types = list(call.project_types.all())
    call.pk = None
    call.slug = f"{call.slug}-{year}"
    call.title = call.title.replace(str(call.year), str(year))
    call.year = year
    call.application_number_prefix = f"{call.application_number_prefix}{year}"
    call.save()
    for project_type in types:
        instalments = list(project_type.instalments.all())
        project_type.pk = None
        project_type.call = call
        project_type.save()
        for instalment in instalments:
            instalment.pk = None
            instalment.project_type = project_type
            instalment.save()
    return call


def county_bureau(region):
    return Organisation.objects.filter(function=Organisation.Function.COUNTY_HR_BUREAU, region=region).first()


def make_application(call, *, status, county, unit_type, industry="", type_code="workstation", user=None):
    """An application of a new unit in `county` (a Region key) in `status`, with the StateLog of its path."""
    region = Region.objects.get(key=county)
    unit = OrganisationFactory(region=region, unit_type=UnitType.objects.get(code=unit_type))
    creator = user or UserFactory(organisation=unit, roles=[Role.APPLICANT])
    number = next(_NUMBERS)
    form_data = {"unit_profile": {"industry": industry}} if industry else {}
    application = Application.objects.create(
        number=f"{call.application_number_prefix}-S-{number:05d}",
        call=call,
        project_type=call.project_types.get(code=type_code),
        unit=unit,
        first_review_body=county_bureau(region),
        status=status,
        created_by=creator,
        form_data=form_data,
        # As every writer of the form does (the list's search and the statistics read these columns).
        **search_columns_of(form_data),
    )
    source = S.DRAFT
    for state in PATHS.get(status, ()):
        StateLog.objects.create(
            content_object=application, state=state, source_state=source, transition="step", by=creator
        )
        source = state
    return application


def designate(application, *, sequence, admin):
    designation, _created = Designation.objects.get_or_create(
        call=application.call,
        project_type=application.project_type,
        defaults={
            "title": "命名文件",
            "issued_on": datetime.date(application.call.year + 1, 1, 10),
            "issuing_bodies": application.call.issuing_bodies,
            "created_by": admin,
        },
    )
    Plaque.objects.create(
        application=application,
        designation=designation,
        title=application.project_type.plaque_title,
        number=f"{application.call.application_number_prefix}-P-{sequence:03d}",
        sequence=sequence,
        issued_on=designation.issued_on,
    )
    open_funding_record(application=application)


def build_dataset():
    """Both cities' data; returns the 晋城 calls, the 长治 call and the 晋城 call administrator."""
    jincheng, changzhi = load_cities()
    later = second_call(jincheng, year=jincheng.year + 1)
    admin = UserFactory(organisation=Organisation.objects.get(name=SKILLS_OFFICE), roles=[Role.CALL_ADMIN])
    plan = [
        (jincheng, S.SUBMITTED, "140502", "enterprise", "装备制造"),
        (jincheng, S.RETURNED, "140502", "enterprise", "装备制造"),
        (jincheng, S.REJECTED, "140521", "enterprise", "煤炭"),
        (jincheng, S.RECHECK, "140521", "technician_college", ""),
        (jincheng, S.EXPERT_REVIEW, "140522", "enterprise", "煤炭"),
        (jincheng, S.NOT_SELECTED, "140522", "enterprise", "陶瓷"),
        (jincheng, S.SOLICITING, "140502", "technician_college", "装备制造", "training_base"),
        (jincheng, S.IN_NOTICE, "140525", "enterprise", "煤炭"),
        (jincheng, S.AWARDED, "140525", "enterprise", "陶瓷"),
        (jincheng, S.AWARDED, "140502", "technician_college", "装备制造", "training_base"),
        (jincheng, S.DRAFT, "140502", "enterprise", "装备制造"),
        (later, S.SUBMITTED, "140581", "enterprise", "光机电"),
        (later, S.AWARDED, "140581", "enterprise", "光机电"),
        (later, S.REJECTED, "140502", "enterprise", ""),
        (changzhi, S.AWARDED, "140403", "enterprise", "煤炭"),
        (changzhi, S.SUBMITTED, "140403", "enterprise", "煤炭"),
    ]
    sequence = itertools.count(1)
    awarded = []
    for call, status, county, unit_type, industry, *type_code in plan:
        application = make_application(
            call,
            status=status,
            county=county,
            unit_type=unit_type,
            industry=industry,
            type_code=type_code[0] if type_code else "workstation",
        )
        if status == S.AWARDED:
            designate(application, sequence=next(sequence), admin=admin)
            awarded.append(application)
    first, second = awarded[0], awarded[1]
    reports = ((first, 2023, "accepted"), (second, 2023, "returned"), (first, 2024, "submitted"))
    for application, year, status in reports:
        ProgressReport.objects.create(
            application=application,
            year=year,
            due_on=datetime.date(year + 1, 1, 31),
            status=status,
            created_by=admin,
        )
    AcceptanceEvaluation.objects.create(application=first, round=1, status="decided", band="good", created_by=admin)
    AcceptanceEvaluation.objects.create(application=second, round=1, status="decided", band="failed", created_by=admin)
    AcceptanceEvaluation.objects.create(application=second, round=2, status="submitted", created_by=admin)
    # The yearly appropriation (年度预算) of 晋城 for the first designations' year, and one of 长治 that 晋城's
    # figures must not show.
    year = jincheng.year + 1
    Appropriation.objects.create(
        city=jincheng.city, fund_source="市级人才专项", year=year, amount=1000000, updated_by=admin
    )
    Appropriation.objects.create(
        city=changzhi.city, fund_source="市级人才专项", year=year, amount=777000, updated_by=admin
    )
    return {"calls": [jincheng, later], "other": changzhi, "admin": admin}
