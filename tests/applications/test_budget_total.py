"""The spending plan (workstation 经费使用计划, training base 经费预算) totals the call's 扶持经费 exactly: the rule
at its boundaries (one fen under, equal, one fen over), the amount read from the call's project type, and the
refusal through the pages (WebUser: real middleware, CSRF on)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shenbao.applications.formdata import clean_section, missing_fields
from shenbao.applications.models import Application
from shenbao.applications.sections import get_form_spec
from shenbao.applications.services import fire_transition, save_section
from tests.web import WebUser

from .builders import IN_TIME, training_base_sections, workstation_sections

pytestmark = pytest.mark.django_db

WORKSTATION_REFUSAL = "市级扶持经费（万元）合计须等于本次通知确定的30万元"
ONE_FEN = Decimal("0.000001")  # 万元


def budget_rows(*amounts):
    return [
        {"category": category, "subsidy_amount": amount, "own_amount": "1", "purpose": "用途", "note": "用途"}
        for category, amount in zip(("equipment", "other"), amounts, strict=False)
    ]


def missing_after(spec, section_key, rows):
    cleaned, errors = clean_section(spec=spec, section_key=section_key, data={"budget": rows})
    assert not errors
    return [str(label) for label in missing_fields(spec=spec, form_data={section_key: cleaned}).get(section_key, [])]


@pytest.mark.parametrize(
    ("rows", "complete"),
    [
        (("29.999999",), False),  # one fen under 30万元
        (("30",), True),
        (("30.000001",), False),  # one fen over
        (("17.123456", "12.876544"), True),  # two rows summed to the fen
        (("17.123456", "12.876543"), False),
    ],
    ids=["fen-under", "equal", "fen-over", "rows-equal", "rows-fen-under"],
)
def test_the_workstation_spending_plan_must_equal_the_calls_amount(workstation_type, rows, complete):
    missing = missing_after(get_form_spec(workstation_type), "spending_plan", budget_rows(*rows))
    if complete:
        assert missing == []
    else:
        total = sum(map(Decimal, rows), Decimal(0))
        assert missing == [f"经费使用计划：{WORKSTATION_REFUSAL}（现为{total.normalize():f}万元）"]


@pytest.mark.parametrize(
    ("subsidy", "complete"),
    [(Decimal(20) - ONE_FEN, False), (Decimal(20), True), (Decimal(20) + ONE_FEN, False)],
    ids=["fen-under", "equal", "fen-over"],
)
def test_the_training_base_budget_must_equal_the_calls_amount(base_type, subsidy, complete):
    missing = missing_after(get_form_spec(base_type), "plan_budget", budget_rows(f"{subsidy:f}"))
    assert (missing == []) is complete
    if not complete:
        assert "须等于本次通知确定的20万元" in missing[0]


def test_the_amount_is_the_call_files_not_a_constant(workstation_type):
    workstation_type.funding_amount = Decimal("250000.00")
    workstation_type.save(update_fields=["funding_amount"])
    spec = get_form_spec(workstation_type)
    assert missing_after(spec, "spending_plan", budget_rows("25")) == []
    assert "须等于本次通知确定的25万元（现为30万元）" in missing_after(spec, "spending_plan", budget_rows("30"))[0]


def test_more_than_six_places_of_wan_yuan_are_refused(workstation_type):
    _cleaned, errors = clean_section(
        spec=get_form_spec(workstation_type), section_key="spending_plan", data={"budget": budget_rows("29.9999999")}
    )
    assert errors == {"budget.0.subsidy_amount": "最多保留6位小数。"}


@pytest.mark.parametrize(("subsidy", "accepted"), [("29.999999", False), ("30", True), ("30.000001", False)])
def test_submission_is_refused_naming_the_amount_until_the_total_is_equal(ready_draft, applicant, subsidy, accepted):
    application = save_section(
        application=ready_draft,
        section_key="spending_plan",
        data={"budget": budget_rows(subsidy)},
        user=applicant,
        expected_revision=ready_draft.revision,
    )
    if accepted:
        assert (
            fire_transition(application=application, name="submit", actor=applicant, at=IN_TIME).status == "submitted"
        )
        return
    with pytest.raises(ValidationError) as caught:
        fire_transition(application=application, name="submit", actor=applicant, at=IN_TIME)
    assert any(WORKSTATION_REFUSAL in message for message in caught.value.messages)
    assert Application.objects.get(pk=application.pk).status == "draft"


def test_the_builders_plan_the_calls_amount_for_both_types(workstation_type, base_type):
    for spec, key, sections in (
        (get_form_spec(workstation_type), "spending_plan", workstation_sections()),
        (get_form_spec(base_type), "plan_budget", training_base_sections()),
    ):
        assert missing_after(spec, key, sections[key]["budget"]) == []


def spending_plan_post(revision, subsidy):
    return {
        "expected_revision": revision,
        "budget-TOTAL_FORMS": "1",
        "budget-INITIAL_FORMS": "0",
        "budget-MIN_NUM_FORMS": "0",
        "budget-MAX_NUM_FORMS": "200",
        "budget-0-category": "equipment",
        "budget-0-subsidy_amount": subsidy,
        "budget-0-own_amount": "20",
        "budget-0-purpose": "购置设备",
    }


def test_through_the_pages_a_wrong_total_is_refused_and_the_equal_one_submitted(
    ready_draft, applicant, password, open_call
):
    web = WebUser()
    web.log_in(applicant.username, password)
    section = reverse("applications:section", args=[ready_draft.public_id, "spending_plan"])
    submit = reverse("applications:submit", args=[ready_draft.public_id])

    assert web.post(section, spending_plan_post(ready_draft.revision, "29.99")).status_code == 302
    page = web.get(section).content.decode()
    assert f"{WORKSTATION_REFUSAL}（现为29.99万元）" in page
    response = web.post(submit)
    assert response.status_code == 200
    assert WORKSTATION_REFUSAL in response.content.decode()
    assert Application.objects.get(pk=ready_draft.pk).status == "draft"

    revision = Application.objects.get(pk=ready_draft.pk).revision
    assert web.post(section, spending_plan_post(revision, "30.00")).status_code == 302
    assert WORKSTATION_REFUSAL not in web.get(section).content.decode()
    response = web.post(submit)
    assert response.status_code == 302
    application = Application.objects.get(pk=ready_draft.pk)
    assert application.status == "submitted"
    assert application.versions.get().form_data["spending_plan"]["budget"][0]["subsidy_amount"] == "30.00"


def test_every_fixed_indicator_once_and_a_stage_in_every_construction_year(base_type):
    spec = get_form_spec(base_type)
    sections = training_base_sections()
    baseline = [row for row in sections["plan_basis"]["baseline"] if row["indicator"] != "stations"]
    baseline.append({"indicator": "trainees", "current": "5"})
    cleaned, errors = clean_section(spec=spec, section_key="plan_basis", data={"basis": "基础", "baseline": baseline})
    assert not errors
    assert [str(label) for label in missing_fields(spec=spec, form_data={"plan_basis": cleaned})["plan_basis"]] == [
        "主要指标现状：缺少指标实训工位数",
        "主要指标现状：指标年培训规模（人）只能填写一行",
    ]

    first_year_only = [row for row in sections["plan_schedule"]["stages"] if row["year"] == "2023"]
    cleaned, errors = clean_section(spec=spec, section_key="plan_schedule", data={"stages": first_year_only})
    assert not errors
    assert [
        str(label) for label in missing_fields(spec=spec, form_data={"plan_schedule": cleaned})["plan_schedule"]
    ] == [
        "建设阶段（至少填写2行）",
        "建设阶段：缺少年度2024年",
    ]
