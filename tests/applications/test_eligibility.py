"""Boundary tests for every hard eligibility rule of the 2022 call (通知一(一)1, 一(二)2, 一(二)4)."""

import pytest

from shenbao.applications.metrics import METRICS, compute_metrics, evaluate_eligibility
from shenbao.calls.eligibility import KNOWN_METRICS

from .builders import fill_sections, member, workstation_sections


def result(application, code):
    return next(item for item in evaluate_eligibility(application=application) if item["code"] == code)


def stored(application, code):
    return next(item for item in application.eligibility if item["code"] == code)


def test_every_metric_a_call_file_may_name_is_computed():
    assert set(METRICS) == set(KNOWN_METRICS)


@pytest.mark.parametrize(("qualified", "passed"), [(3, True), (2, False)])
def test_qualified_members_three_pass_two_fail(draft, applicant, qualified, passed):
    sections = workstation_sections(qualified=qualified)
    application = fill_sections(application=draft, user=applicant, sections={"members": sections["members"]})
    # The stored result is refreshed by every save, the live one agrees.
    assert stored(application, "qualified-members")["passed"] is passed
    assert result(application, "qualified-members")["value"] == qualified


def test_a_senior_worker_does_not_count(draft, applicant):
    sections = workstation_sections(qualified=2, senior_workers=3)
    application = fill_sections(application=draft, user=applicant, sections={"members": sections["members"]})
    outcome = result(application, "qualified-members")
    assert outcome["value"] == 2
    assert outcome["passed"] is False
    assert "须≥3" in outcome["message"]
    assert "一（一）1" in outcome["message"]


@pytest.mark.parametrize("level", ["technician", "senior_technician", "skill_leader"])
def test_each_qualified_level_counts(draft, applicant, level):
    members = [member(1, level=level), member(2), member(3)]
    application = fill_sections(application=draft, user=applicant, sections={"members": {"members": members}})
    assert result(application, "qualified-members")["passed"] is True


def test_the_same_person_twice_counts_once(draft, applicant):
    members = [member(1), member(2), member(2, name="成员2重复")]
    application = fill_sections(application=draft, user=applicant, sections={"members": {"members": members}})
    assert compute_metrics(application=application)["qualified_member_count"] == 2


@pytest.mark.parametrize(("trainees", "passed"), [(300, True), (299, False)])
def test_annual_trainees_300_pass_299_fail_on_the_latest_year(make_base_draft, trainees, passed):
    # The builder puts 1000 trainees on 2020 and `trainees` on 2021: only the latest year counts.
    application = make_base_draft(trainees=trainees)
    outcome = stored(application, "annual-trainees")
    assert outcome["value"] == trainees
    assert outcome["passed"] is passed


@pytest.mark.parametrize(("specialties", "passed"), [(2, True), (1, False)])
def test_equipped_specialties_two_pass_one_fail(make_base_draft, specialties, passed):
    application = make_base_draft(specialties=specialties)
    assert stored(application, "equipped-specialties")["passed"] is passed


def test_a_specialty_without_equipment_does_not_count(make_base_draft, applicant):
    application = make_base_draft(specialties=2)
    application.form_data["capacity"]["specialties"][1]["equipment"] = ""
    assert compute_metrics(application=application)["equipped_specialty_count"] == 1


@pytest.mark.parametrize(("partners", "passed"), [(2, True), (1, False)])
def test_partner_enterprises_two_pass_one_fail_for_a_college(make_base_draft, partners, passed):
    application = make_base_draft(unit_type="vocational_college", partners=partners)
    outcome = stored(application, "partner-enterprises")
    assert outcome["applies"] is True
    assert outcome["passed"] is passed


@pytest.mark.parametrize(("co_developed", "passed"), [(3, True), (2, False)])
@pytest.mark.parametrize("unit_type", ["technician_college", "training_institution"])
def test_co_developed_specialties_three_pass_two_fail(make_base_draft, unit_type, co_developed, passed):
    application = make_base_draft(unit_type=unit_type, co_developed=co_developed)
    assert stored(application, "co-developed-specialties")["passed"] is passed


def test_partner_rules_do_not_apply_to_an_enterprise_applying_for_a_base(make_base_draft):
    application = make_base_draft(unit_type="enterprise", partners=0, co_developed=0)
    for code in ("partner-enterprises", "co-developed-specialties", "enterprise-instructors"):
        outcome = stored(application, code)
        assert outcome["applies"] is False
        assert outcome["passed"] is None
    hard = [item for item in application.eligibility if item["kind"] == "hard" and item["applies"]]
    assert {item["code"] for item in hard} == {"equipped-specialties", "annual-trainees"}
    assert all(item["passed"] for item in hard)


def test_qualitative_rules_are_listed_for_reviewers_without_a_verdict(draft):
    qualitative = [item for item in evaluate_eligibility(application=draft) if item["kind"] == "qualitative"]
    assert {item["code"] for item in qualitative} >= {"talent-systems", "cooperation", "advanced-facilities"}
    assert all(item["passed"] is None for item in qualitative)
