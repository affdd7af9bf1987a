"""已认定单位再次申报: a unit designated for a project type is warned when it starts an application for the same type
while the earlier construction period runs (or within the call's 申报间隔), and flagged to the reviewers."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from shenbao.applications.models import Application
from shenbao.applications.services import fire_transition, start_application
from shenbao.applications.workflow import ApplicationStatus as S
from shenbao.awards.selectors import map_standing_designations
from shenbao.calls.periods import construction_years
from shenbao.calls.services import load_call_file
from tests.applications.builders import attach_required_materials, fill_sections, workstation_sections
from tests.applications.reuse_helpers import next_years_call_data
from tests.calls.helpers import write_call_file
from tests.funding.builders import designate

ISSUED_ON = datetime.date(2022, 12, 20)
END_2022 = datetime.date(2024, 12, 31)  # the 2022 workstations' construction period ends


def next_call(tmp_path, **fields):
    data = next_years_call_data()
    data.update(fields)
    return load_call_file(path=write_call_file(tmp_path, data, name=f"{data['slug']}.yaml"))


@pytest.fixture
def designated(submitted):
    return designate(submitted, issued_on=ISSUED_ON)


def standing(call, application, today):
    pairs = [(application.unit_id, "workstation")]
    return map_standing_designations(call=call, units_and_codes=pairs, today=today).get(pairs[0], [])


def test_a_designation_binds_until_the_last_day_of_its_construction_period(designated, tmp_path):
    call = next_call(tmp_path)
    (found,) = standing(call, designated, END_2022)
    assert (found.number, found.plaque_number, found.issued_on) == (
        designated.number,
        designated.plaque.number,
        ISSUED_ON,
    )
    assert found.in_construction and found.waiting_until is None
    assert standing(call, designated, END_2022 + datetime.timedelta(days=1)) == []


def test_the_calls_waiting_period_counts_from_the_plaque(designated, tmp_path):
    call = next_call(tmp_path, reapply_waiting_years=3)
    assert call.reapply_waiting_years == 3
    (found,) = standing(call, designated, datetime.date(2025, 12, 19))  # construction over, 3 years not yet
    assert not found.in_construction and found.waiting_until == datetime.date(2025, 12, 20)
    assert standing(call, designated, datetime.date(2025, 12, 20)) == []


def test_only_a_standing_designation_of_the_same_type_in_another_call_counts(designated, tmp_path, call):
    assert standing(call, designated, END_2022) == []  # its own call
    later = next_call(tmp_path)
    pairs = [(designated.unit_id, "training_base")]
    assert map_standing_designations(call=later, units_and_codes=pairs, today=END_2022) == {}
    Application.objects.filter(pk=designated.pk).update(status=S.REVOKED)
    assert standing(later, designated, END_2022) == []


def test_the_unit_is_warned_when_it_starts_and_the_reviewers_see_it(
    client, designated, applicant, county_reviewer, tmp_path
):
    later = next_call(tmp_path, reapply_waiting_years=10)  # still waiting today (the pages judge the real date)
    assert timezone.localdate() < datetime.date(2032, 12, 20)
    client.force_login(applicant)
    page = client.get(reverse("applications:start", args=[later.slug])).content.decode()
    assert "本单位已获认定同类项目" in page and designated.plaque.number in page

    project_type = later.project_types.get(code="workstation")
    application = start_application(call=later, project_type=project_type, unit=designated.unit, user=applicant)
    years = construction_years(project_type)
    application = fill_sections(application=application, user=applicant, sections=workstation_sections(years=years))
    attach_required_materials(application=application, user=applicant)
    assert (
        "本单位已获认定同类项目"
        in client.get(reverse("applications:detail", args=[application.public_id])).content.decode()
    )
    fire_transition(application=application, name="submit", actor=applicant)

    client.force_login(county_reviewer)
    queue = client.get(reverse("review:first_review_queue")).content.decode()
    assert "已获认定同类项目" in queue
    page = client.get(reverse("review:first_review", args=[application.public_id])).content.decode()
    assert "该单位已获认定同类项目" in page and designated.number in page and designated.plaque.number in page
