"""Who sees which applications (one scoping rule), the permissions built on it, and list query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shenbao.accounts.roles import Role
from shenbao.applications.models import Application
from shenbao.applications.selectors import (
    get_visible_application,
    list_startable_project_types,
    list_visible_applications,
)
from shenbao.applications.services import fire_transition, start_application
from shenbao.organisations.models import Organisation, Region
from tests.factories import GovernmentBodyFactory, RegionFactory, UserFactory

from .builders import IN_TIME, county_bureau_of


def staff(name, role):
    return UserFactory(organisation=Organisation.objects.get(name=name), roles=[role])


@pytest.fixture
def submitted(ready_draft, applicant):
    return fire_transition(application=ready_draft, name="submit", actor=applicant, at=IN_TIME)


@pytest.fixture
def other_draft(call, workstation_type, make_unit, make_applicant):
    """A draft of a unit in another county (沁水县)."""
    unit = make_unit(region="140521")
    return start_application(call=call, project_type=workstation_type, unit=unit, user=make_applicant(unit), at=IN_TIME)


def visible(user):
    return set(list_visible_applications(user=user))


def test_an_applicant_sees_its_own_units_applications_in_every_state(draft, other_draft, applicant):
    assert visible(applicant) == {draft}
    assert get_visible_application(user=applicant, public_id=draft.public_id) == draft
    with pytest.raises(Application.DoesNotExist):
        get_visible_application(user=applicant, public_id=other_draft.public_id)


def test_a_draft_is_the_units_own_business(draft, county_reviewer):
    assert visible(county_reviewer) == set()
    with pytest.raises(Application.DoesNotExist):
        get_visible_application(user=county_reviewer, public_id=draft.public_id)


def test_county_reviewers_see_only_their_county(submitted, other_draft, county_reviewer):
    assert visible(county_reviewer) == {submitted}
    other_county = UserFactory(organisation=county_bureau_of("140521"), roles=[Role.COUNTY_REVIEWER])
    assert visible(other_county) == set()
    with pytest.raises(Application.DoesNotExist):
        get_visible_application(user=other_county, public_id=submitted.public_id)


def test_a_competent_department_sees_its_city_direct_units(call, workstation_type, make_unit, make_applicant):
    department = Organisation.objects.get(name="晋城市教育局")
    unit = make_unit(region="140500", competent_department=department)
    application = start_application(
        call=call, project_type=workstation_type, unit=unit, user=make_applicant(unit), at=IN_TIME
    )
    reviewer = UserFactory(organisation=department, roles=[Role.DEPARTMENT_REVIEWER])
    assert visible(reviewer) == set()
    Application.objects.filter(pk=application.pk).update(status="submitted")
    assert visible(reviewer) == {application}
    other_department = staff("晋城市工业和信息化局", Role.DEPARTMENT_REVIEWER)
    assert visible(other_department) == set()


@pytest.mark.parametrize(
    ("organisation", "role"),
    [("晋城市人力资源和社会保障局", Role.CITY_REVIEWER), ("晋城市人力资源和社会保障局技能办", Role.CALL_ADMIN)],
)
def test_city_staff_see_every_submitted_application_of_their_citys_calls(submitted, other_draft, organisation, role):
    assert visible(staff(organisation, role)) == {submitted}


def test_city_staff_of_another_city_see_nothing(submitted):
    province = Region.objects.get(key="140000")
    taiyuan = RegionFactory(key="140100", name="太原市", level=Region.Level.CITY, parent=province)
    bureau = GovernmentBodyFactory(region=taiyuan, function=Organisation.Function.CITY_HR_BUREAU)
    assert visible(UserFactory(organisation=bureau, roles=[Role.CITY_REVIEWER])) == set()


@pytest.mark.parametrize(
    ("organisation", "role"),
    [
        ("申报评审平台运维中心", Role.SYSTEM_ADMIN),
        ("申报评审平台运维中心", Role.AUDIT_ADMIN),
        ("国家税务总局晋城市税务局", Role.CONSULTED_DEPARTMENT),
    ],
)
def test_administrators_and_other_roles_see_no_applications(submitted, draft, organisation, role):
    assert visible(staff(organisation, role)) == set()


def test_an_inactive_user_sees_nothing(draft, applicant):
    applicant.is_active = False
    applicant.save()
    assert visible(applicant) == set()


def test_permissions(draft, applicant, county_reviewer, make_unit, make_applicant):
    stranger = make_applicant(make_unit())
    assert applicant.has_perm("applications.view_application", draft)
    assert applicant.has_perm("applications.edit_application", draft)
    assert applicant.has_perm("applications.fire_submit", draft)
    assert not applicant.has_perm("applications.fire_withdraw", draft)
    assert not stranger.has_perm("applications.view_application", draft)
    assert not stranger.has_perm("applications.edit_application", draft)
    assert not county_reviewer.has_perm("applications.view_application", draft)


def test_permissions_after_submission(submitted, applicant, county_reviewer):
    assert not applicant.has_perm("applications.edit_application", submitted)
    assert applicant.has_perm("applications.fire_withdraw", submitted)
    assert not applicant.has_perm("applications.fire_submit", submitted)
    assert county_reviewer.has_perm("applications.view_application", submitted)
    assert county_reviewer.has_perm("applications.fire_return_for_revision", submitted)
    assert not applicant.has_perm("applications.fire_return_for_revision", submitted)


def test_startable_project_types(call, workstation_type, base_type, make_unit, unit, draft):
    assert list(list_startable_project_types(call=call, unit=unit)) == [base_type]  # workstation already started
    assert list(list_startable_project_types(call=call, unit=make_unit(unit_type="industry_association"))) == [
        workstation_type
    ]
    assert list(list_startable_project_types(call=call, unit=make_unit(unit_type="public_training_base"))) == [
        workstation_type,
        base_type,
    ]


def count_list_queries(user):
    with CaptureQueriesContext(connection) as context:
        rows = [
            (
                app.number,
                app.unit.name,
                app.unit.region.name,
                app.call.title,
                app.project_type.name,
                str(app.first_review_body),
            )
            for app in list_visible_applications(user=user)[:25]
        ]
    return len(rows), len(context.captured_queries)


# The list's queries, exactly: the same with one row as with many, so a fixed extra query fails too.
LIST_QUERIES = 1


def test_the_list_query_count_does_not_grow_with_rows(call, workstation_type, base_type, make_unit, make_applicant):
    city_admin = staff("晋城市人力资源和社会保障局技能办", Role.CALL_ADMIN)
    # Roles and the user's city are read once per request, whatever the number of rows.
    list(list_visible_applications(user=city_admin))
    applications = []
    for index in range(6):
        unit = make_unit(unit_type="public_training_base")
        project_type = workstation_type if index % 2 else base_type
        applications.append(
            start_application(call=call, project_type=project_type, unit=unit, user=make_applicant(unit), at=IN_TIME)
        )
    Application.objects.filter(pk=applications[0].pk).update(status="submitted")
    one = count_list_queries(city_admin)
    Application.objects.update(status="submitted")
    many = count_list_queries(city_admin)
    assert (one[0], many[0]) == (1, 6)
    assert (one[1], many[1]) == (LIST_QUERIES, LIST_QUERIES)
