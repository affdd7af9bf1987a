"""Rows for the staff list's tests, written in bulk (a handful of INSERTs for a thousand applications), in the way
`bench/grow_rows.py` grows the bench's database: units, their applications and the rows each list flag reads.

The applications are as the services leave them (numbered, routed to the unit's first-review body, the search
columns filled from the form data); their states and flags are set directly, the workflow itself is tested
elsewhere.
"""

import datetime
import itertools

from shenbao.accounts.roles import Role
from shenbao.applications.models import (
    Application,
    ApplicationPerson,
    PaperCopyReceipt,
    ReviewComment,
    SignedScan,
)
from shenbao.applications.search_columns import search_columns_of
from shenbao.calls.models import DeadlineExtension, ExtensionReason
from shenbao.experts.models import Assignment, Panel
from shenbao.organisations.models import Organisation, Region, UnitType
from shenbao.scoring.models import ScoreSheet
from tests.applications.builders import IN_TIME, county_bureau_of
from tests.factories import UserFactory, make_credit_code

_serial = itertools.count(1)
FLAGS = ("person_conflict", "returned", "paper_received", "signed_scan", "extension")


def bulk_applications(
    *,
    call,
    project_type,
    count,
    created_by,
    region="140502",
    unit_type="enterprise",
    status="submitted",
    leader="王建国",
    industry="装备制造",
    name="晋城市批量测试单位",
    flags=(),
    submitted_at=IN_TIME,
    body=None,
    score=None,
):
    """`count` submitted applications of new units in the county `region` (routed to its county bureau, or to
    `body`), with every flag in `flags`."""
    county = Region.objects.get(key=region)
    bureau = body or county_bureau_of(region)
    kind = UnitType.objects.get(code=unit_type)
    batch = [next(_serial) for _ in range(count)]
    units = Organisation.objects.bulk_create(
        Organisation(
            kind=Organisation.Kind.APPLICANT_UNIT,
            name=f"{name}{number:05d}",
            unit_type=kind,
            region=county,
            credit_code=make_credit_code(900000 + number),
            legal_representative="赵法人",
        )
        for number in batch
    )
    form_data = {"station": {"leader_name": leader}, "unit_profile": {"industry": industry}}
    applications = Application.objects.bulk_create(
        Application(
            number=f"{call.application_number_prefix}-B{number:06d}",
            call=call,
            project_type=project_type,
            unit=unit,
            first_review_body=bureau,
            status=status,
            form_data=form_data,
            **search_columns_of(form_data),
            created_by=created_by,
            submitted_at=submitted_at,
        )
        for number, unit in zip(batch, units, strict=True)
    )
    _add_flags(applications, flags=flags, call=call, user=created_by, body=bureau)
    if score is not None:
        _add_scores(applications, score=score, project_type=project_type, user=created_by)
    return applications


def _add_scores(applications, *, score, project_type, user):
    """One expert's submitted sheet of `score` points for each application (a ranking's final score: one sheet
    is below the trimmed mean's minimum, so the plain mean, the score itself)."""
    panel, _created = Panel.objects.get_or_create(
        call=project_type.call, project_type=project_type, defaults={"name": "批量测试专家组", "created_by": user}
    )
    expert = UserFactory(roles=[Role.EXPERT])
    assignments = Assignment.objects.bulk_create(
        Assignment(panel=panel, application=application, expert=expert, assigned_at=IN_TIME, assigned_by=user)
        for application in applications
    )
    ScoreSheet.objects.bulk_create(
        ScoreSheet(
            assignment=assignment,
            status=ScoreSheet.Status.SUBMITTED,
            total=score,
            material_total=score,
            defence_total=0,
            submitted_at=IN_TIME,
        )
        for assignment in assignments
    )


def _add_flags(applications, *, flags, call, user, body):
    if "person_conflict" in flags:
        # Every application names the same person: each one conflicts with all the others' units.
        ApplicationPerson.objects.bulk_create(
            ApplicationPerson(application=application, call=call, id_index="search-test-person")
            for application in applications
        )
    if "returned" in flags:
        ReviewComment.objects.bulk_create(
            ReviewComment(
                application=application,
                author=user,
                author_organisation=body,
                transition="return_for_revision",
                text="材料不全",
            )
            for application in applications
        )
    if "paper_received" in flags:
        PaperCopyReceipt.objects.bulk_create(
            PaperCopyReceipt(
                application=application,
                received_on=datetime.date(2022, 12, 9),
                receiver="收件人",
                copies=3,
                recorded_by=user,
            )
            for application in applications
        )
    if "signed_scan" in flags:
        SignedScan.objects.bulk_create(
            SignedScan(
                application=application,
                file=f"applications/signed/test/{application.pk}.pdf",
                original_name="scan.pdf",
                content_type="application/pdf",
                size=1,
                sha256="0" * 64,
                uploaded_by=user,
            )
            for application in applications
        )
    if "extension" in flags:
        # 延期提交 granted to each unit for the call (rows as the service writes them; the service's own tests are in
        # tests/calls/test_extensions.py).
        DeadlineExtension.objects.bulk_create(
            DeadlineExtension(
                call=call,
                unit=application.unit,
                deadline=call.submission_deadline + datetime.timedelta(days=7),
                reason_kind=ExtensionReason.SYSTEM_FAULT,
                reason="平台故障",
                granted_by=user,
                granted_at=IN_TIME,
            )
            for application in applications
        )
