"""A person (身份证号码) is in at most one unit's application of a call (applications/persons.py): which states hold a
person, the submission guard's wording (never the other unit), the warning while editing, the staff's view."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shenbao.accounts.roles import Role
from shenbao.applications.models import Application, ApplicationPerson
from shenbao.applications.persons import HOLDING_STATES, count_person_conflicts
from shenbao.applications.services import fire_transition, save_section, start_application
from shenbao.applications.workflow import ApplicationStatus as S
from shenbao.organisations.models import Organisation
from tests.factories import UserFactory
from tests.web import WebUser

from .builders import IN_TIME, attach_required_materials, fill_sections, member, workstation_sections

DUE = "2022-12-20"


@pytest.fixture
def make_application(call, workstation_type, make_unit, make_applicant):
    """A unit's complete workstation application naming the people of `batch`, submitted unless `submit=False`."""

    def make(*, batch, region="140502", submit=True):
        unit = make_unit(region=region)
        user = make_applicant(unit)
        application = start_application(call=call, project_type=workstation_type, unit=unit, user=user, at=IN_TIME)
        application = fill_sections(application=application, user=user, sections=workstation_sections(batch=batch))
        attach_required_materials(application=application, user=user)
        application.applicant = user
        if submit:
            application = fire_transition(application=application, name="submit", actor=user, at=IN_TIME)
            application.applicant = user
        return application

    return make


def submit(application):
    return fire_transition(application=application, name="submit", actor=application.applicant, at=IN_TIME)


def set_status(application, status):
    Application.objects.filter(pk=application.pk).update(status=status)


def test_the_holding_states_are_the_submitted_ones_still_in_the_call_and_the_designated():
    assert {
        S.SUBMITTED,
        S.RETURNED,
        S.RECHECK,
        S.EXPERT_REVIEW,
        S.SOLICITING,
        S.OPINION_HOLD,
        S.IN_NOTICE,
        S.AWARDED,
    } == HOLDING_STATES


def test_a_submission_indexes_its_people_by_blind_index(make_application):
    first = make_application(batch=900)
    rows = ApplicationPerson.objects.filter(application=first)
    assert rows.count() == 3 and all(len(row.id_index) == 64 for row in rows)
    assert not any(member(1, batch=900)["id_number"] in row.id_index for row in rows)  # a hash, not the number


def test_a_person_in_another_units_submitted_application_blocks_the_submission(make_application):
    first = make_application(batch=901)
    second = make_application(batch=901, submit=False)
    with pytest.raises(ValidationError) as caught:
        submit(second)
    messages = caught.value.messages
    assert len(messages) == 3  # one sentence per person
    assert messages[0].startswith("「成员名单」中的成员1（身份证号码 140502********")
    assert "已列入本次申报通知中其他单位的申报" in messages[0]
    # Nothing of the other unit: neither its application number nor its name.
    assert not any(first.number in message or first.unit.name in message for message in messages)
    assert Application.objects.get(pk=second.pk).status == S.DRAFT


def test_one_shared_person_is_enough_and_only_that_one_is_named(make_application):
    make_application(batch=902)
    second = make_application(batch=903, submit=False)
    sections = workstation_sections(batch=903)
    sections["members"]["members"][1] = member(2, batch=902)  # the other unit's 成员2
    fill_sections(application=second, user=second.applicant, sections={"members": sections["members"]})
    with pytest.raises(ValidationError) as caught:
        submit(second)
    assert len(caught.value.messages) == 1 and "成员2" in caught.value.messages[0]


@pytest.mark.parametrize("status", [S.DRAFT, S.WITHDRAWN, S.REJECTED, S.NOT_SELECTED, S.OBJECTION_UPHELD, S.REVOKED])
def test_an_application_out_of_the_call_or_not_yet_submitted_holds_nobody(make_application, status):
    first = make_application(batch=904)
    set_status(first, status)
    second = make_application(batch=904, submit=False)
    assert submit(second).status == S.SUBMITTED


@pytest.mark.parametrize("status", [S.RETURNED, S.RECHECK, S.EXPERT_REVIEW, S.IN_NOTICE, S.AWARDED])
def test_a_submitted_application_still_in_the_call_holds_its_people(make_application, status):
    first = make_application(batch=905)
    set_status(first, status)
    second = make_application(batch=905, submit=False)
    with pytest.raises(ValidationError):
        submit(second)


def test_a_returned_application_frees_a_person_only_at_its_resubmission(make_application, county_reviewer):
    first = make_application(batch=906)
    first = fire_transition(
        application=first,
        name="return_for_revision",
        actor=county_reviewer,
        comment="请核实成员。",
        payload={"resubmission_due": DUE},
        at=IN_TIME,
    )
    sections = workstation_sections(batch=907)  # other people altogether
    first = fill_sections(application=first, user=first.created_by, sections={"members": sections["members"]})
    second = make_application(batch=906, submit=False)
    with pytest.raises(ValidationError):
        submit(second)  # the returned application's submitted version still names them
    fire_transition(application=first, name="resubmit", actor=first.created_by, at=IN_TIME)
    assert submit(second).status == S.SUBMITTED


def test_the_same_unit_may_name_its_people_again_after_a_withdrawal_elsewhere(make_application):
    first = make_application(batch=908)
    fire_transition(application=first, name="withdraw", actor=first.applicant, comment="撤回。", at=IN_TIME)
    second = make_application(batch=908)
    assert second.status == S.SUBMITTED
    assert count_person_conflicts(applications=[second]) == {}


def test_the_editing_page_warns_without_naming_the_other_unit(client, make_application):
    first = make_application(batch=909)
    second = make_application(batch=909, submit=False)
    client.force_login(second.applicant)
    page = client.get(reverse("applications:section", args=[second.public_id, "members"])).content.decode()
    assert "已列入本次申报通知中其他单位的申报" in page
    assert first.number not in page and first.unit.name not in page
    other_section = client.get(reverse("applications:section", args=[second.public_id, "unit_profile"]))
    assert "已列入本次申报通知中其他单位的申报" not in other_section.content.decode()


def test_submitting_through_the_web_is_refused_with_the_reason(make_application, password):
    first = make_application(batch=910)
    second = make_application(batch=910, submit=False)
    web = WebUser()
    web.log_in(second.applicant.username, password)
    url = reverse("applications:submit", args=[second.public_id])
    response = web.post(url)
    page = response.content.decode()
    assert "同一人员只能列入一个单位的申报" in page
    assert first.number not in page and first.unit.name not in page
    assert Application.objects.get(pk=second.pk).status == S.DRAFT


def test_staff_see_the_other_number_only_where_they_see_that_application(client, make_application, county_reviewer):
    """Unit B (城区) was returned and added a person of unit A's (泽州县) submitted application while editing."""
    other = make_application(batch=911, region="140525")
    mine = make_application(batch=912)
    mine = fire_transition(
        application=mine,
        name="return_for_revision",
        actor=county_reviewer,
        comment="请补充成员。",
        payload={"resubmission_due": DUE},
        at=IN_TIME,
    )
    members = workstation_sections(batch=912)["members"]
    members["members"].append(member(1, batch=911))
    save_section(
        application=mine,
        section_key="members",
        data=members,
        user=mine.created_by,
        expected_revision=mine.revision,
    )
    client.force_login(county_reviewer)  # 城区: sees B, not A (泽州县)
    page = client.get(reverse("review:first_review", args=[mine.public_id])).content.decode()
    assert "人员重复" in page and "其他审核单位受理的申报" in page and other.number not in page
    city = UserFactory(
        organisation=Organisation.objects.get(name="晋城市人力资源和社会保障局"), roles=[Role.CITY_REVIEWER]
    )
    client.force_login(city)
    page = client.get(reverse("review:recheck", args=[mine.public_id])).content.decode()
    assert "人员重复" in page and other.number in page


def test_the_queue_counts_people_another_units_application_also_names(make_application):
    """Two submissions at the same instant can both pass the guard; the queues still show the conflict."""
    first = make_application(batch=913)
    second = make_application(batch=914)
    ApplicationPerson.objects.filter(application=second).delete()
    ApplicationPerson.objects.bulk_create(
        ApplicationPerson(application=second, call=second.call, id_index=row.id_index)
        for row in ApplicationPerson.objects.filter(application=first)[:2]
    )
    assert count_person_conflicts(applications=[first, second]) == {first.pk: 2, second.pk: 2}
    set_status(first, S.WITHDRAWN)
    assert count_person_conflicts(applications=[first, second]) == {first.pk: 2}
