import io
import re

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from shenbao.accounts.models import RoleGrant, User
from shenbao.accounts.roles import ROLE_RULES, Role
from shenbao.organisations.credit_code import check_credit_code
from shenbao.organisations.models import Organisation, Region, UnitType
from shenbao.organisations.selectors import get_first_review_body

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
    first = run_seed()
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
    run_seed()
    for role in Role:
        grants = RoleGrant.objects.filter(role=role).select_related("user__organisation")
        assert grants.exists(), role
        for grant in grants:
            assert ROLE_RULES[role].allows(grant.user.organisation)


def test_demo_units_cover_every_county_the_zone_and_city_direct_units(reference):
    run_seed()
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
    run_seed()
    user = User.objects.get(username="skills_admin")
    user.set_password("Changed#pass2022")
    user.save()
    run_seed()
    user.refresh_from_db()
    assert user.check_password(settings.SHENBAO_DEMO_PASSWORD)
