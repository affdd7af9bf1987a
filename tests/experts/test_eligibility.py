"""Who may review a unit at all (回避), stated once in `experts.rules` (`pool_experts_q`, `unit_conflict`) and used
by the panel assignment and, through `selectors.list_conflict_free_experts`, by the acceptance evaluation."""

import pytest

from shenbao.experts.assignment import conflict_reason, load_state
from shenbao.experts.models import ExpertRelation
from shenbao.experts.selectors import list_conflict_free_experts
from shenbao.experts.services import declare_relation, set_expert_active
from shenbao.organisations.selectors import get_city_of_region

from .builders import make_application, make_expert, make_panel, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool(admin, other_city_admin, call):
    """An applicant unit of 城区 and one expert per case, named by the rule that keeps them out (or not)."""
    unit = make_unit("140502", name="晋城市回避测试机械有限公司")
    experts = {
        "same_county": make_expert(admin, region_key="140502"),
        "other_county": make_expert(admin, region_key="140525"),
        "own_unit": make_expert(admin, unit_name=unit.name, region_key="140525"),
        "related": make_expert(admin, region_key="140525"),
        "withdrawn": make_expert(admin, region_key="140525"),
        "other_city": make_expert(other_city_admin, unit_name="太原市某研究院", region_key="140105"),
    }
    declare_relation(
        profile=experts["related"], actor=admin, organisation_name=unit.name, kind=ExpertRelation.Kind.RELATIVE
    )
    set_expert_active(profile=experts["withdrawn"], actor=admin, active=False)
    return unit, experts


def names(experts, user_ids):
    by_user = {profile.user_id: name for name, profile in experts.items()}
    return {by_user[user_id] for user_id in user_ids}


def test_each_exclusion_of_the_shared_rule(pool):
    unit, experts = pool
    city = get_city_of_region(unit.region)

    assert names(experts, list_conflict_free_experts(city=city, unit=unit)) == {"same_county", "other_county"}
    assert names(experts, list_conflict_free_experts(city=city.pk, unit=unit, exclude_same_county=True)) == {
        "other_county"
    }


def test_an_expert_without_the_role_is_out_of_the_pool(pool):
    unit, experts = pool
    experts["other_county"].user.role_grants.all().delete()
    city = get_city_of_region(unit.region)
    assert names(experts, list_conflict_free_experts(city=city, unit=unit)) == {"same_county"}


def test_the_panel_assignment_gives_the_same_reasons(pool, admin, call, workstation_type):
    unit, experts = pool
    in_city = [profile for name, profile in experts.items() if name != "other_city"]
    # A member taken out of the pool after joining the panel gets no new work.
    set_expert_active(profile=experts["withdrawn"], actor=admin, active=True)
    panel = make_panel(admin, call, workstation_type, in_city, exclude_same_county=True)
    set_expert_active(profile=experts["withdrawn"], actor=admin, active=False)
    application = make_application(unit, workstation_type)
    candidates, relations, _active, ended, _loads = load_state(panel, [application])

    reasons = {
        name: conflict_reason(
            panel=panel,
            candidate=candidates[profile.user_id],
            application=application,
            relations=relations,
            ended=ended,
        )
        for name, profile in experts.items()
        if profile.user_id in candidates
    }

    assert "withdrawn" not in reasons  # out of the pool: not a candidate at all
    assert reasons == {
        "same_county": "专家与申报单位属同一县（市、区）",
        "other_county": "",
        "own_unit": "专家工作单位即申报单位",
        "related": "专家已申报与申报单位存在利害关系",
    }
