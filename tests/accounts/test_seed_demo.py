import io
import re

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from shenbao.accounts.models import RoleGrant, User
from shenbao.accounts.roles import ROLE_RULES, Role
from shenbao.applications.demo import DEMO_APPLICATIONS
from shenbao.applications.models import Application, ApplicationMaterial, ApplicationVersion, ReviewComment
from shenbao.applications.workflow import ApplicationStatus
from shenbao.audit.models import AuditEntry
from shenbao.organisations.credit_code import check_credit_code
from shenbao.organisations.models import Organisation, Region, UnitType
from shenbao.organisations.selectors import get_first_review_body
from tests.factories import load_call, seeded_demo
from tests.paths import JINCHENG_2022

pytestmark = pytest.mark.django_db

ROW = re.compile(r"^(\S+)\s+\| (\S+)\s+\| (.+?)\s+\| (.+)$")


def run_seed():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def printed_logins(output):
    rows = [ROW.match(line) for line in output.splitlines()]
    return [row.groups() for row in rows if row and not row.group(1).startswith(("用户名", "-"))]


def test_seed_demo_requires_the_reference_data():
    with pytest.raises(CommandError, match="load_reference_data"):
        run_seed()


def test_seed_demo_is_idempotent_and_every_printed_login_works(reference):
    first = seeded_demo()
    counts = (Organisation.objects.count(), User.objects.count(), RoleGrant.objects.count())
    second = run_seed()
    assert (Organisation.objects.count(), User.objects.count(), RoleGrant.objects.count()) == counts
    assert printed_logins(first) == printed_logins(second)

    logins = printed_logins(second)
    assert len(logins) == User.objects.count()
    request = RequestFactory().post("/accounts/login/")
    for username, password, _role, organisation in logins:
        assert password == settings.SHENBAO_DEMO_PASSWORD
        user = authenticate(request, username=username, password=password)
        assert user is not None, username
        assert user.organisation.name == organisation
    for wanted in [
        "applicant_chengqu",
        "county_chengqu",
        "city_hrss",
        "skills_admin",
        "expert1",
        "tax_dept",
        "sysadmin",
        "secadmin",
        "auditadmin",
    ]:
        assert wanted in {login[0] for login in logins}


def test_every_role_has_a_demo_user_in_a_fitting_organisation(reference):
    seeded_demo()
    for role in Role:
        grants = RoleGrant.objects.filter(role=role).select_related("user__organisation")
        assert grants.exists(), role
        for grant in grants:
            assert ROLE_RULES[role].allows(grant.user.organisation)


def test_demo_units_cover_every_county_the_zone_and_city_direct_units(reference):
    seeded_demo()
    units = Organisation.objects.filter(kind=Organisation.Kind.APPLICANT_UNIT).select_related("region")
    county_keys = set(Region.objects.filter(level__in=["county", "zone"]).values_list("key", flat=True))
    assert county_keys <= {unit.region.key for unit in units if not unit.is_city_direct}
    city_direct = [unit for unit in units if unit.is_city_direct]
    assert len({unit.competent_department_id for unit in city_direct}) >= 3
    for unit in units:
        assert check_credit_code(unit.credit_code).warning is None
        assert get_first_review_body(unit=unit) is not None
    codes = {
        "enterprise",
        "industry_association",
        "research_institution",
        "public_training_base",
        "skill_training_base",
        "vocational_college",
        "technician_college",
        "training_institution",
    }
    assert codes <= set(UnitType.objects.values_list("code", flat=True))


def test_rerun_restores_a_changed_demo_password(reference):
    seeded_demo()
    user = User.objects.get(username="skills_admin")
    user.set_password("Changed#pass2022")
    user.save()
    run_seed()
    user.refresh_from_db()
    assert user.check_password(settings.SHENBAO_DEMO_PASSWORD)


@pytest.fixture
def call(reference):
    return load_call(JINCHENG_2022)


def application_counts():
    return {
        "applications": Application.objects.count(),
        "versions": ApplicationVersion.objects.count(),
        "materials": ApplicationMaterial.objects.count(),
        "comments": ReviewComment.objects.count(),
        "workflow_events": AuditEntry.objects.filter(event__startswith="workflow:").count(),
        "application_events": AuditEntry.objects.filter(event__startswith="application:").count(),
    }


def test_seed_demo_creates_applications_in_every_early_review_state(call):
    output = seeded_demo()
    assert "已新建演示申报9件" in output
    statuses = list(Application.objects.filter(call=call).values_list("status", flat=True))
    assert len(statuses) == len(DEMO_APPLICATIONS) == 9
    wanted = {
        ApplicationStatus.DRAFT,
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.RETURNED,
        ApplicationStatus.REJECTED,
        ApplicationStatus.RECHECK,
        ApplicationStatus.EXPERT_REVIEW,
    }
    assert set(statuses) == wanted
    assert {app.project_type.code for app in Application.objects.filter(call=call).select_related("project_type")} == {
        "workstation",
        "training_base",
    }
    for application in Application.objects.filter(call=call).select_related("unit__unit_type", "project_type"):
        assert application.project_type.allowed_unit_types.filter(pk=application.unit.unit_type_id).exists()
        assert application.created_by.organisation_id == application.unit_id
        assert application.number.startswith("2022-")
        if application.status == ApplicationStatus.DRAFT:
            assert application.form_data and not application.versions.exists()
            assert application.submitted_at is None
            continue
        assert application.versions.count() == 1
        assert str(application.submitted_at.date()).startswith("2022-12-0")
        assert application.materials.filter(is_current=True).exists()
        assert all(result["passed"] for result in application.eligibility if result["applies"] and result["metric"])
    returned = Application.objects.filter(call=call).get(status=ApplicationStatus.RETURNED)
    assert str(returned.resubmission_due) == "2022-12-23"
    assert returned.comments.filter(text__contains="证书").exists()
    rejected = Application.objects.filter(call=call).get(status=ApplicationStatus.REJECTED)
    assert rejected.comments.filter(text__contains="不符合").exists()


def test_a_second_seed_run_creates_no_applications_versions_or_workflow_events(call):
    seeded_demo()
    counts = application_counts()
    assert counts["workflow_events"] > 0 and counts["versions"] > 0
    output = run_seed()
    assert "演示申报已存在" in output
    assert application_counts() == counts


def test_seed_demo_skips_the_applications_when_the_call_is_not_loaded(reference):
    output = run_seed()
    assert "跳过演示申报" in output
    assert not Application.objects.exists()


def test_seed_demo_scores_the_expert_stage_and_keeps_a_draft_for_the_demo_expert(call):
    from shenbao.scoring.models import ScoreSheet
    from shenbao.scoring.selectors import get_ranking

    first = seeded_demo()
    assert "演示评分表：本次提交9份，保留草稿1份。" in first
    submitted = ScoreSheet.objects.filter(assignment__panel__call=call, status=ScoreSheet.Status.SUBMITTED)
    draft = (
        ScoreSheet.objects.filter(assignment__panel__call=call)
        .select_related("assignment__expert", "assignment__application__project_type")
        .get(status=ScoreSheet.Status.DRAFT)
    )
    assert submitted.count() == 9
    assert draft.assignment.expert.username == "expert1"
    assert draft.assignment.application.project_type.code == "training_base"
    assert draft.entries.filter(points__isnull=False).exists() and draft.total is not None
    # The practice call's sheets (12, 3 experts × 4 applications) are submitted too.
    assert AuditEntry.objects.filter(event="scoring:submit").count() == 9 + 12

    # The administrator's ranking shows real numbers: the workstation application is fully scored, the
    # training base waits for the demo expert's draft.
    workstation_type = call.project_types.get(code="workstation")
    (row,) = get_ranking(call=call, project_type=workstation_type).rows
    assert row.final > workstation_type.pass_line and row.passes
    training_base = get_ranking(call=call, project_type=call.project_types.get(code="training_base"))
    assert not training_base.rows and len(training_base.pending) == 1

    second = run_seed()
    assert "演示评分表：本次提交0份，保留草稿0份。" in second
    assert ScoreSheet.objects.filter(assignment__panel__call=call).count() == 10
    # The practice call's sheets (12, 3 experts × 4 applications) are submitted too.
    assert AuditEntry.objects.filter(event="scoring:submit").count() == 9 + 12
