"""Assignment of experts (分配): the conflict rules, the balance, top-ups, refusals, swaps and 回避.

The property tests build random pools and applications and compare the service's result with an independent
reading of the rules; the best possible balance is found by brute force over every choice.
"""

import itertools
from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shenbao.applications.workflow import ApplicationStatus
from shenbao.audit.models import AuditEntry
from shenbao.experts.models import Assignment, ExpertRelation
from shenbao.experts.services import (
    assign_experts,
    declare_relation,
    recuse_assignment,
    swap_assignment,
)
from shenbao.notifications.models import Notification

from .builders import COUNTIES, make_application, make_expert, make_panel, make_unit

pytestmark = pytest.mark.django_db
ACTIVE = Assignment.Status.ACTIVE
# Each example builds its pool, units and applications through the services (about a second). The balance itself
# is `allocation.allocate`, a pure function checked against brute force over 400 examples in test_allocation.py;
# here the examples check that the service reads the conflict rules and the loads from the database rightly.
HYPOTHESIS = settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


def active_assignments(panel):
    return list(Assignment.objects.filter(panel=panel, status=ACTIVE).select_related("application__unit"))


def loads_of(panel, members):
    counts = Counter(Assignment.objects.filter(panel=panel, status=ACTIVE).values_list("expert_id", flat=True))
    return [counts.get(profile.user_id, 0) for profile in members]


def best_spread(eligible, need, members):
    """The smallest possible max-min load over every way to give each application `need` eligible experts."""
    options = [list(itertools.combinations(sorted(experts), need)) for experts in eligible]
    best = None
    for choice in itertools.product(*options):
        counts = Counter(expert for chosen in choice for expert in chosen)
        loads = [counts.get(member, 0) for member in members]
        spread = max(loads) - min(loads)
        best = spread if best is None else min(best, spread)
    return best


scenario = st.fixed_dictionaries(
    {
        "units": st.lists(st.integers(0, 2), min_size=1, max_size=4),  # county index of each applicant unit
        "experts": st.lists(
            st.tuples(st.integers(0, 2), st.one_of(st.none(), st.integers(0, 3))),  # (county, own unit or None)
            min_size=2,
            max_size=6,
        ),
        "relations": st.sets(st.tuples(st.integers(0, 5), st.integers(0, 3)), max_size=4),
        "need": st.integers(1, 2),
        "exclude_same_county": st.booleans(),
    }
)


@HYPOTHESIS
@given(data=scenario)
def test_assignment_respects_every_rule_and_is_as_balanced_as_possible(admin, call, workstation_type, data):
    with transaction.atomic():
        units = [make_unit(COUNTIES[county]) for county in data["units"]]
        experts = []
        for county, own in data["experts"]:
            own_unit = units[own] if own is not None and own < len(units) else None
            extra = {"unit_name": own_unit.name} if own_unit else {}
            experts.append(make_expert(admin, region_key=COUNTIES[county], **extra))
        relations = set()
        for expert_index, unit_index in data["relations"]:
            if expert_index < len(experts) and unit_index < len(units):
                profile, unit = experts[expert_index], units[unit_index]
                if profile.work_unit_id != unit.pk:
                    declare_relation(profile=profile, actor=admin, organisation_name=unit.name, kind="other")
                    relations.add((profile.user_id, unit.pk))
        applications = [make_application(unit, workstation_type) for unit in units]
        panel = make_panel(
            admin,
            call,
            workstation_type,
            experts,
            per_application=data["need"],
            exclude_same_county=data["exclude_same_county"],
        )

        def allowed(profile, application):
            unit = application.unit
            return (
                profile.work_unit_id != unit.pk
                and (profile.user_id, unit.pk) not in relations
                and not (data["exclude_same_county"] and profile.region_id == unit.region_id)
            )

        eligible = [[p.user_id for p in experts if allowed(p, application)] for application in applications]
        members = [profile.user_id for profile in experts]
        feasible = all(len(candidates) >= data["need"] for candidates in eligible)

        if not feasible:
            with pytest.raises(ValidationError) as refused:
                assign_experts(panel=panel, actor=admin)
            short = next(a for a, c in zip(applications, eligible, strict=True) if len(c) < data["need"])
            assert short.number in refused.value.messages[0]
            assert not Assignment.objects.filter(panel=panel).exists()
        else:
            assign_experts(panel=panel, actor=admin)
            rows = active_assignments(panel)
            by_expert = {profile.user_id: profile for profile in experts}
            for row in rows:
                profile = by_expert[row.expert_id]
                assert profile.work_unit_id != row.application.unit_id, "own unit"
                assert (row.expert_id, row.application.unit_id) not in relations, "declared relation"
                if data["exclude_same_county"]:
                    assert profile.region_id != row.application.unit.region_id, "same county"
            per_application = Counter(row.application_id for row in rows)
            assert all(per_application[application.pk] == data["need"] for application in applications)
            assert len({(row.application_id, row.expert_id) for row in rows}) == len(rows)
            loads = loads_of(panel, experts)
            assert max(loads) - min(loads) == best_spread(eligible, data["need"], members)

            assign_experts(panel=panel, actor=admin)  # idempotent
            assert len(active_assignments(panel)) == len(rows)
        transaction.set_rollback(True)


@HYPOTHESIS
@given(
    counties=st.lists(st.integers(0, 5), min_size=1, max_size=6),
    members=st.integers(3, 7),
    need=st.integers(1, 3),
)
def test_without_blocking_conflicts_the_load_difference_is_at_most_one(
    admin, call, workstation_type, counties, members, need
):
    with transaction.atomic():
        experts = [make_expert(admin, region_key=COUNTIES[index % 6]) for index in range(members)]
        applications = [make_application(make_unit(COUNTIES[county]), workstation_type) for county in counties]
        panel = make_panel(admin, call, workstation_type, experts, per_application=need, exclude_same_county=False)

        assign_experts(panel=panel, actor=admin)

        loads = loads_of(panel, experts)
        assert max(loads) - min(loads) <= 1
        assert sum(loads) == need * len(applications)
        transaction.set_rollback(True)


def test_a_rerun_tops_up_new_applications_without_touching_the_others(admin, call, workstation_type):
    experts = [make_expert(admin, region_key=COUNTIES[index % 6]) for index in range(4)]
    first = make_application(make_unit("140502"), workstation_type)
    panel = make_panel(admin, call, workstation_type, experts, per_application=2, exclude_same_county=False)
    assign_experts(panel=panel, actor=admin)
    before = set(Assignment.objects.filter(application=first).values_list("pk", "expert_id"))
    second = make_application(make_unit("140521"), workstation_type)

    outcome = assign_experts(panel=panel, actor=admin)

    assert {row.application_id for row in outcome.created} == {second.pk}
    assert set(Assignment.objects.filter(application=first).values_list("pk", "expert_id")) == before
    assert max(loads_of(panel, experts)) - min(loads_of(panel, experts)) <= 1


def test_only_applications_in_expert_review_of_the_panels_type_are_assigned(admin, call, workstation_type, base_type):
    experts = [make_expert(admin, region_key=COUNTIES[index]) for index in range(3)]
    waiting = make_application(make_unit("140502"), workstation_type)
    make_application(make_unit("140521"), workstation_type, status=ApplicationStatus.RECHECK)
    make_application(make_unit("140522"), base_type)
    panel = make_panel(admin, call, workstation_type, experts, per_application=2, exclude_same_county=False)

    assign_experts(panel=panel, actor=admin)

    assert {row.application_id for row in active_assignments(panel)} == {waiting.pk}


def test_the_panel_size_defaults_to_the_call_file(admin, call, workstation_type):
    from shenbao.experts.panels import create_panel

    panel = create_panel(call=call, project_type=workstation_type, actor=admin)

    assert panel.experts_per_application == call.experts_per_application == 5
    assert panel.exclude_same_county is True


def test_impossible_assignment_names_the_application_and_changes_nothing(admin, call, workstation_type):
    unit = make_unit("140502", name="晋城市回避测试有限公司")
    insider = make_expert(admin, unit_name=unit.name, region_key="140521")
    outsider = make_expert(admin, region_key="140521")
    fine = make_application(make_unit("140522"), workstation_type)
    application = make_application(unit, workstation_type)
    panel = make_panel(admin, call, workstation_type, [insider, outsider], per_application=2, exclude_same_county=False)

    with pytest.raises(ValidationError) as refused:
        assign_experts(panel=panel, actor=admin)

    message = refused.value.messages[0]
    assert application.number in message and "晋城市回避测试有限公司" in message and "只有1名" in message
    assert fine.number not in message
    assert not Assignment.objects.exists()


def test_same_county_is_excluded_only_when_the_panel_says_so(admin, call, workstation_type):
    local = make_expert(admin, region_key="140502")
    other = make_expert(admin, region_key="140521")
    application = make_application(make_unit("140502"), workstation_type)
    panel = make_panel(admin, call, workstation_type, [local, other], per_application=2, exclude_same_county=True)

    with pytest.raises(ValidationError):
        assign_experts(panel=panel, actor=admin)

    panel.exclude_same_county = False
    panel.save()
    assign_experts(panel=panel, actor=admin)
    assert {row.expert_id for row in active_assignments(panel)} == {local.user_id, other.user_id}
    assert application.expert_assignments.count() == 2


@pytest.fixture
def assigned(admin, call, workstation_type):
    """Four experts from four counties, one 城区 application with two of them (the two with the lowest ids)."""
    experts = [make_expert(admin, region_key=county) for county in ("140521", "140522", "140524", "140525")]
    application = make_application(make_unit("140502", name="晋城市分配测试有限公司"), workstation_type)
    panel = make_panel(admin, call, workstation_type, experts, per_application=2)
    assign_experts(panel=panel, actor=admin)
    return panel, application, experts


def holder(assignment, experts):
    return next(profile for profile in experts if profile.user_id == assignment.expert_id)


def test_a_declared_conflict_is_replaced_under_the_same_rules(admin, assigned):
    panel, application, experts = assigned
    first = active_assignments(panel)[0]
    expert = holder(first, experts)
    # The only remaining non-member has a relation with the unit: the replacement must be the fourth expert.
    remaining = [p for p in experts if p.user_id not in {row.expert_id for row in active_assignments(panel)}]
    declare_relation(profile=remaining[0], actor=admin, organisation_name=application.unit.name, kind="relative")

    new = recuse_assignment(assignment=first, actor=expert.user, reason="本人曾在该单位兼职。")

    first.refresh_from_db()
    assert first.status == Assignment.Status.RECUSED and first.reason == "本人曾在该单位兼职。"
    assert first.ended_by == expert.user and first.replaced_by == new
    assert new.expert_id == remaining[1].user_id and new.status == ACTIVE
    assert application.expert_assignments.filter(status=ACTIVE).count() == 2
    assert AuditEntry.objects.filter(event="experts:recuse", object_pk=str(first.pk)).exists()
    assert Notification.objects.filter(recipient=admin, event="experts:recused").exists()
    assert Notification.objects.filter(recipient=new.expert, event="experts:assigned").exists()


def test_a_recusal_stands_even_when_nobody_is_left_and_the_administrator_is_told(admin, call, workstation_type):
    experts = [make_expert(admin, region_key=county) for county in ("140521", "140522")]
    application = make_application(make_unit("140502"), workstation_type)
    panel = make_panel(admin, call, workstation_type, experts, per_application=2)
    assign_experts(panel=panel, actor=admin)
    first = active_assignments(panel)[0]

    new = recuse_assignment(assignment=first, actor=first.expert, reason="利害关系")

    assert new is None
    assert application.expert_assignments.filter(status=ACTIVE).count() == 1
    message = Notification.objects.get(recipient=admin, event="experts:recused")
    assert "没有符合回避要求的专家可替换" in message.body
    # The recused expert never comes back to this application, even when the administrator assigns again.
    with pytest.raises(ValidationError):
        assign_experts(panel=panel, actor=admin)


def test_only_the_holder_may_recuse_and_a_reason_is_required(admin, assigned):
    panel, _application, _experts = assigned
    first, second = active_assignments(panel)

    with pytest.raises(PermissionDenied):  # the workflow's actor: only the expert holding the assignment
        recuse_assignment(assignment=first, actor=second.expert, reason="不是我的")
    with pytest.raises(ValidationError):
        recuse_assignment(assignment=first, actor=first.expert, reason="  ")
    assert Assignment.objects.get(pk=first.pk).status == ACTIVE


def test_the_administrator_swaps_with_a_recorded_and_audited_reason(admin, assigned):
    panel, application, _experts = assigned
    first = active_assignments(panel)[0]

    new = swap_assignment(assignment=first, actor=admin, reason="专家临时出差。")

    first.refresh_from_db()
    assert first.status == Assignment.Status.SWAPPED and first.reason == "专家临时出差。"
    assert first.ended_by == admin and first.replaced_by == new and first.ended_at is not None
    assert new.expert_id not in {first.expert_id} and new.assigned_by == admin
    entry = AuditEntry.objects.get(event="experts:swap", object_pk=str(first.pk))
    assert entry.actor == admin and entry.additional_data["reason"] == "专家临时出差。"
    assert Notification.objects.filter(recipient=first.expert, event="experts:swapped").exists()
    assert application.expert_assignments.filter(status=ACTIVE).count() == 2


def test_a_swap_to_a_chosen_expert_checks_the_conflict_rules(admin, call, workstation_type, assigned):
    panel, _application, experts = assigned
    first = active_assignments(panel)[0]
    local = make_expert(admin, region_key="140502")
    from shenbao.experts.panels import add_panel_members

    add_panel_members(panel=panel, actor=admin, experts=[local.user])

    with pytest.raises(ValidationError) as refused:
        swap_assignment(assignment=first, actor=admin, reason="调整", replacement=local.user)
    assert "同一县" in str(refused.value)
    assert Assignment.objects.get(pk=first.pk).status == ACTIVE

    free = next(p for p in experts if p.user_id not in {row.expert_id for row in active_assignments(panel)})
    new = swap_assignment(assignment=first, actor=admin, reason="调整", replacement=free.user)
    assert new.expert_id == free.user_id


def test_a_swap_needs_a_reason_and_the_administrator_of_the_city(admin, other_city_admin, assigned):
    panel, _application, _experts = assigned
    first = active_assignments(panel)[0]

    with pytest.raises(ValidationError):
        swap_assignment(assignment=first, actor=admin, reason="")
    with pytest.raises(PermissionDenied):  # the workflow's actor: the administrator of the panel's city
        swap_assignment(assignment=first, actor=other_city_admin, reason="越权")
    assert Assignment.objects.get(pk=first.pk).status == ACTIVE


def test_a_submitted_score_sheet_blocks_swap_and_recusal(admin, assigned):
    from django.utils import timezone

    scoring = pytest.importorskip("shenbao.scoring.models")
    panel, _application, _experts = assigned
    first = active_assignments(panel)[0]
    scoring.ScoreSheet.objects.create(assignment=first, status="submitted", submitted_at=timezone.now(), total=80)

    with pytest.raises(ValidationError) as swap_refused:
        swap_assignment(assignment=first, actor=admin, reason="调整")
    with pytest.raises(ValidationError):
        recuse_assignment(assignment=first, actor=first.expert, reason="回避")
    assert "已提交评分表" in swap_refused.value.messages[0]
    assert Assignment.objects.get(pk=first.pk).status == ACTIVE


def test_an_inactive_expert_gets_no_new_work(admin, call, workstation_type):
    from shenbao.experts.services import set_expert_active

    experts = [make_expert(admin, region_key=county) for county in ("140521", "140522", "140524")]
    make_application(make_unit("140502"), workstation_type)
    panel = make_panel(admin, call, workstation_type, experts, per_application=2)
    set_expert_active(profile=experts[0], actor=admin, active=False)

    assign_experts(panel=panel, actor=admin)

    assert experts[0].user_id not in {row.expert_id for row in active_assignments(panel)}


def test_relations_are_unique_and_never_the_own_unit(admin, call):
    unit = make_unit("140502")
    profile = make_expert(admin, unit_name=unit.name)
    other = make_unit("140521")

    with pytest.raises(ValidationError):
        declare_relation(profile=profile, actor=admin, organisation_name=unit.name, kind="other")
    declare_relation(profile=profile, actor=admin, organisation_name=other.name, kind="other")
    with pytest.raises(ValidationError):
        declare_relation(profile=profile, actor=admin, organisation_name=other.name, kind="advisory")
    assert ExpertRelation.objects.filter(expert=profile).count() == 1
