"""The benchmark suite's dataset growth (bench/grow.py, bench/grow_rows.py) on a small scale: what it derives from the
repository's data validates, collides with nothing, is seen by the grown city's staff through the product's own
scoping, and leaves the audit chain verifiable. (The suite itself runs in CI as `make bench`, demo scale.)"""

import datetime as dt
import random

import pytest
import yaml
from django.core.management import call_command
from django_fsm_log.models import StateLog

from bench import grow, grow_review, grow_rows
from shenbao.accounts.models import User
from shenbao.accounts.roles import Role
from shenbao.applications.models import Application
from shenbao.applications.selectors import list_visible_applications
from shenbao.calls.services import validate_call_document
from shenbao.experts.models import ExpertProfile
from shenbao.organisations.models import Organisation
from shenbao.review.models import FirstReviewChecklist, FirstReviewRecord
from shenbao.review.selectors import list_first_review_summary
from shenbao.scoring.models import ScoreSheet
from shenbao.scoring.selectors import get_ranking
from tests.factories import UserFactory
from tests.paths import JINCHENG_2022

SMALL = grow.Growth(
    cities=1,
    years=2,
    units_per_city=12,
    applications_per_call_type=4,
    audit_entries=30,
    experts_per_city=8,
    large_call_applications_per_type=6,
    large_city_units=16,
)
STATES = {"closed": grow.CLOSED_STATES, "current": grow.CURRENT_STATES, "large": grow.LARGE_CALL_STATES}


@pytest.fixture
def template():
    reference = yaml.safe_load((grow.ROOT / "data" / "reference" / "jincheng.yaml").read_text())
    return reference, yaml.safe_load(JINCHENG_2022.read_text())


def test_a_synthetic_city_shares_no_key_or_name_with_its_template(template):
    reference, call = template
    data, keys, (_stem, new_stem) = grow._synthetic_city(reference, str(call["city"]), 3)
    template_keys = {str(region["key"]) for region in reference["regions"]}
    template_names = {organisation["name"] for organisation in reference["organisations"]}
    grown = [region for region in data["regions"] if region.get("level") != "province"]
    assert grown and not {region["key"] for region in grown} & template_keys
    assert not {organisation["name"] for organisation in data["organisations"]} & template_names
    assert all(new_stem in organisation["name"] for organisation in data["organisations"])
    assert keys[str(call["city"])] in {region["key"] for region in grown}


@pytest.mark.django_db
def test_a_synthetic_call_is_re_dated_by_whole_years_and_validates(template):
    reference, call = template
    _data, keys, stems = grow._synthetic_city(reference, str(call["city"]), 1)
    year = int(call["year"]) + 3
    document = grow._synthetic_call(call, city_key=keys[str(call["city"])], stems=stems, index=1, year=year)
    spec = validate_call_document(data=document, source="test")
    assert spec.year == year
    assert spec.deadline.year == call["deadline"].year + 3
    assert str(year) in spec.title and str(call["year"]) not in spec.title
    assert all(stems[1] in body for body in spec.issuing_bodies)


@pytest.fixture
def grown(reference, call, template):
    """One small synthetic city of two calls (the newest the large one), grown as `grow` grows a scale."""
    reference_data, call_document = template
    data, keys, stems = grow._synthetic_city(reference_data, str(call_document["city"]), 1)
    this_year = dt.date.today().year
    calls = [
        grow._synthetic_call(call_document, city_key=keys[str(call_document["city"])], stems=stems, index=1, year=y)
        for y in (this_year - 1, this_year)
    ]
    rng = random.Random(1)
    added = grow_rows.add_city(
        reference_text=yaml.safe_dump(data, allow_unicode=True),
        calls=calls,
        growth=SMALL,
        rng=rng,
        states=STATES,
        batch=5,
    )
    return added, rng


@pytest.mark.django_db
def test_grown_rows_are_scoped_to_their_city_and_the_chain_verifies(grown, call):
    added, rng = grown
    assert {key: added[key] for key in ("calls", "units", "experts")} == {"calls": 2, "units": 16, "experts": 8}
    assert 0 < added["applications"] <= 2 * (SMALL.applications_per_call_type + SMALL.large_call_applications_per_type)
    assert grow_rows.add_audit_entries(count=SMALL.audit_entries, rng=rng, batch=7) == SMALL.audit_entries

    admin = User.objects.get(username="bench01_call_admin")
    seen = list(list_visible_applications(user=admin))
    assert seen and all(application.call.slug.startswith("bench01-") for application in seen)
    assert all(application.status != "draft" for application in seen)
    template_office = Organisation.objects.get(function=Organisation.Function.CITY_SKILLS_OFFICE, region=call.city)
    template_admin = UserFactory(organisation=template_office, roles=[Role.CALL_ADMIN])
    assert not {a.pk for a in list_visible_applications(user=template_admin)} & {a.pk for a in seen}
    call_command("audit_verify")


@pytest.mark.django_db
def test_grown_review_rows_follow_each_application_s_state(grown):
    added, _rng = grown
    applications = list(Application.objects.filter(call__slug__startswith="bench01-").select_related("call"))
    newest = max((application.call for application in applications), key=lambda call: call.year)
    assert sum(application.call == newest for application in applications) > SMALL.applications_per_call_type

    # The state log leads from a draft, step by step, to the state each application is in.
    for application in applications:
        logs = list(StateLog.objects.for_(application).order_by("timestamp", "pk"))
        assert [log.source_state for log in logs] == ["draft", *[log.state for log in logs][:-1]][: len(logs)]
        assert (logs[-1].state if logs else "draft") == application.status
        assert [log.transition for log in logs] == list(grow_review.PATHS[application.status])
    assert added["state_logs"] == StateLog.objects.count()

    # Every application past 资格初审 has the record of the decision its state implies, and the checklist.
    decided = {
        app.pk: app for app in applications if set(grow_review.PATHS[app.status]) & set(grow_review.FIRST_REVIEW)
    }
    records = {record.application_id: record for record in FirstReviewRecord.objects.all()}
    assert records.keys() == decided.keys() == set(FirstReviewChecklist.objects.values_list("application", flat=True))
    for pk, record in records.items():
        step = next(step for step in grow_review.PATHS[decided[pk].status] if step in grow_review.FIRST_REVIEW)
        assert record.decision == grow_review.FIRST_REVIEW[step] and record.checklist
    admin = User.objects.get(username="bench01_call_admin")
    summary = list_first_review_summary(user=admin, call=newest)
    assert {row["application__number"] for row in summary} == {
        application.number for application in decided.values() if application.call == newest
    }

    # Applications in 专家评审 or later have the call's number of experts, each with a sheet; a submitted sheet's
    # total is the sum of its entries; the ranking of the large call counts them.
    scored = [app for app in applications if "recheck_pass" in grow_review.PATHS[app.status]]
    assert scored and added["score_sheets"] == ScoreSheet.objects.count()
    for application in scored:
        assignments = list(application.expert_assignments.select_related("score_sheet"))
        assert len(assignments) == application.call.experts_per_application
        for sheet in (assignment.score_sheet for assignment in assignments):
            points = [entry.points for entry in sheet.entries.all()]
            assert sheet.total == (sum(points) if points else None)
            assert sheet.is_submitted or application.status == "expert_review"
    for project_type in newest.project_types.all():
        ranking = get_ranking(call=newest, project_type=project_type)
        waiting = [app for app in scored if app.call == newest and app.project_type_id == project_type.pk]
        ranked = [row.candidate.item.pk for row in ranking.rows] + [candidate.item.pk for candidate in ranking.pending]
        assert sorted(ranked) == sorted(app.pk for app in waiting)
    experts = ExpertProfile.objects.filter(city=newest.city)
    assert experts.count() == SMALL.experts_per_city
    assert all(profile.user.role_grants.filter(role="expert").exists() for profile in experts)
