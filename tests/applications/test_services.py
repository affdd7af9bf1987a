"""Starting an application and saving sections of its form."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shenbao.accounts.roles import Role
from shenbao.applications.models import Application
from shenbao.applications.services import save_section, start_application
from shenbao.audit.models import AuditEntry
from shenbao.calls.models import ProjectType
from shenbao.core.revisions import StaleRevisionError
from shenbao.organisations.models import Organisation
from tests.factories import UserFactory

from .builders import BEIJING, IN_TIME, LAST_SECOND, TOO_LATE, county_bureau_of, make_id_number, workstation_sections


def test_start_creates_a_numbered_draft_routed_to_the_county_bureau(draft, unit, applicant, county_bureau):
    assert draft.status == "draft"
    assert draft.number == "2022-01-0001"
    assert draft.first_review_body == county_bureau
    assert draft.created_by == applicant
    assert draft.revision == 0
    assert {item["code"] for item in draft.eligibility} >= {"qualified-members"}
    assert AuditEntry.objects.filter(event="application:start", object_pk=str(draft.pk)).count() == 1


def test_numbers_count_per_project_type(call, workstation_type, base_type, make_unit, make_applicant):
    numbers = []
    for project_type in (workstation_type, workstation_type, base_type):
        unit = make_unit(unit_type="public_training_base")
        numbers.append(
            start_application(
                call=call, project_type=project_type, unit=unit, user=make_applicant(unit), at=IN_TIME
            ).number
        )
    assert numbers == ["2022-01-0001", "2022-01-0002", "2022-02-0001"]


def test_a_city_direct_unit_is_routed_to_its_competent_department(call, workstation_type, make_unit, make_applicant):
    department = Organisation.objects.get(name="晋城市人民政府国有资产监督管理委员会")
    unit = make_unit(region="140500", competent_department=department)
    application = start_application(
        call=call, project_type=workstation_type, unit=unit, user=make_applicant(unit), at=IN_TIME
    )
    assert application.first_review_body == department


def test_start_at_the_deadline_boundary(call, workstation_type, unit, applicant):
    start_application(call=call, project_type=workstation_type, unit=unit, user=applicant, at=LAST_SECOND)
    Application.objects.all().delete()
    with pytest.raises(ValidationError, match="2022年12月08日 23:59:59"):
        start_application(call=call, project_type=workstation_type, unit=unit, user=applicant, at=TOO_LATE)


def test_start_before_publication_is_refused(call, workstation_type, unit, applicant):
    early = datetime.datetime(2022, 12, 1, 23, 59, 59, tzinfo=BEIJING)
    with pytest.raises(ValidationError, match="尚未开始"):
        start_application(call=call, project_type=workstation_type, unit=unit, user=applicant, at=early)


def test_one_application_per_unit_type_and_call(draft, call, workstation_type, unit, applicant):
    with pytest.raises(ValidationError) as caught:
        start_application(call=call, project_type=workstation_type, unit=unit, user=applicant, at=IN_TIME)
    assert "已申报「市级技师工作站」（申报编号 2022-01-0001）" in caught.value.messages[0]
    assert Application.objects.count() == 1


def test_a_unit_type_not_allowed_for_the_project_type_is_refused(call, workstation_type, base_type, make_unit):
    college = make_unit(unit_type="vocational_college")
    user = UserFactory(organisation=college, roles=[Role.APPLICANT])
    with pytest.raises(ValidationError, match="「职业院校」不能申报「市级技师工作站」"):
        start_application(call=call, project_type=workstation_type, unit=college, user=user, at=IN_TIME)
    # The same unit may apply for a base.
    start_application(call=call, project_type=base_type, unit=college, user=user, at=IN_TIME)


def test_a_project_type_without_a_form_is_refused(call, workstation_type, unit, applicant):
    ProjectType.objects.filter(pk=workstation_type.pk).update(code="future-type")
    workstation_type.refresh_from_db()
    with pytest.raises(ValidationError, match="暂未配置申报表"):
        start_application(call=call, project_type=workstation_type, unit=unit, user=applicant, at=IN_TIME)


def test_only_an_applicant_of_the_unit_may_start(call, workstation_type, unit, make_unit, make_applicant):
    other = make_applicant(make_unit())
    with pytest.raises(PermissionDenied):
        start_application(call=call, project_type=workstation_type, unit=unit, user=other, at=IN_TIME)
    reviewer_of_county = county_bureau_of("140502")
    reviewer = UserFactory(organisation=reviewer_of_county, roles=[Role.COUNTY_REVIEWER])
    with pytest.raises(PermissionDenied):
        start_application(call=call, project_type=workstation_type, unit=unit, user=reviewer, at=IN_TIME)


def test_save_section_bumps_the_revision_and_audits_a_readable_masked_change_list(draft, applicant):
    members = workstation_sections(qualified=1, batch=0)["members"]
    application = save_section(
        application=draft, section_key="members", data=members, user=applicant, expected_revision=0
    )
    assert application.revision == 1
    entry = AuditEntry.objects.get(event="application:save_section", object_pk=str(draft.pk))
    number = make_id_number(1)
    assert entry.changes["成员名单第1行"][0] == ""
    assert "姓名：成员1" in entry.changes["成员名单第1行"][1]
    assert number not in str(entry.changes)
    assert f"{number[:6]}********{number[-4:]}" in str(entry.changes)
    assert entry.additional_data["section"] == "工作站成员"


def test_saving_identical_content_changes_nothing(draft, applicant):
    data = workstation_sections()["unit_profile"]
    first = save_section(application=draft, section_key="unit_profile", data=data, user=applicant, expected_revision=0)
    again = save_section(application=first, section_key="unit_profile", data=data, user=applicant, expected_revision=1)
    assert again.revision == 1
    assert AuditEntry.objects.filter(event="application:save_section").count() == 1


def test_a_stale_revision_is_refused(draft, applicant):
    data = workstation_sections()["unit_profile"]
    save_section(application=draft, section_key="unit_profile", data=data, user=applicant, expected_revision=0)
    data["industry"] = "另一个标签页的内容"
    with pytest.raises(StaleRevisionError) as caught:
        save_section(application=draft, section_key="unit_profile", data=data, user=applicant, expected_revision=0)
    assert caught.value.current_revision == 1
    assert isinstance(caught.value, ValidationError)
    draft.refresh_from_db(fields=["form_data"])
    assert draft.form_data["unit_profile"]["industry"] == "装备制造"


def test_invalid_values_are_refused_as_a_whole(draft, applicant):
    with pytest.raises(ValidationError) as caught:
        save_section(
            application=draft,
            section_key="unit_profile",
            data={"industry": "机械", "employee_count": "很多"},
            user=applicant,
            expected_revision=0,
        )
    assert caught.value.message_dict == {"employee_count": ["请填写整数。"]}
    assert Application.objects.get(pk=draft.pk).revision == 0


def test_another_units_applicant_cannot_save(draft, make_unit, make_applicant):
    with pytest.raises(PermissionDenied):
        save_section(
            application=draft,
            section_key="unit_profile",
            data={"industry": "x"},
            user=make_applicant(make_unit()),
            expected_revision=0,
        )


def test_an_unknown_section_is_refused(draft, applicant):
    with pytest.raises(ValidationError, match="没有“nope”"):
        save_section(application=draft, section_key="nope", data={}, user=applicant, expected_revision=0)
