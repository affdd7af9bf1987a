"""Ranking from real sheets and the proposed list through `opinions.services.propose_applications`: the call's
aggregation method, pending applications, the pass line, the quota (more refused, fewer only when fewer pass),
ties broken by defence, material, then the administrator's recorded decision."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shenbao.audit.models import AuditEntry
from shenbao.scoring.models import TieBreak
from shenbao.scoring.selectors import get_ranking
from shenbao.scoring.services_ranking import confirm_proposed_list, decide_tie

from .builders import OPINION_DUE, reload, uniform

pytestmark = pytest.mark.django_db
D = Decimal
REASON = "经专家评审，综合得分未进入拟授牌名额。"


def ranking_of(application):
    return get_ranking(call=application.call, project_type=application.project_type)


def confirm(project_type, admin, count, reason=REASON):
    return confirm_proposed_list(
        call=project_type.call,
        project_type=project_type,
        count=count,
        opinion_due=OPINION_DUE,
        not_selected_reason=reason,
        actor=admin,
    )


@pytest.fixture
def quota(workstation_type):
    """The workstation quota narrowed to 2–3, so the boundaries need few applications."""
    workstation_type.quota_min = 2
    workstation_type.quota_max = 3
    workstation_type.save(update_fields=["quota_min", "quota_max"])
    return workstation_type


@pytest.mark.parametrize(
    ("method", "final", "defence"),
    [("trimmed_mean", "86.67", "26.67"), ("mean", "86.00", "25.00"), ("median", "88.00", "28.00")],
)
def test_final_score_by_the_calls_method(make_scored, call, method, final, defence):
    # The example: totals 88, 90, 75, 95, 82; defence 28, 30, 15, 30, 22; material 60, 60, 60, 65, 60.
    sheets = [(60, 28), (60, 30), (60, 15), (65, 30), (60, 22)]
    call.score_aggregation = method
    call.save(update_fields=["score_aggregation"])
    application = make_scored("晋城市示例机械有限公司", sheets)
    (row,) = ranking_of(application).rows
    assert (row.final, row.defence) == (D(final), D(defence))
    assert row.material == {"trimmed_mean": D("60.00"), "mean": D("61.00"), "median": D("60.00")}[method]


def test_fewer_than_five_sheets_average_plainly(make_panel, make_waiting, workstation_type):
    from .builders import assign, make_expert, submit

    three = [make_expert(f"小组专家{n}") for n in range(3)]
    application = make_waiting(name="晋城市三人评审机械有限公司")
    panel = make_panel(experts=three, project_type=workstation_type)
    for assignment, (material, defence) in zip(
        assign(panel, application, three), [(60, 20), (61, 20), (62, 20)], strict=True
    ):
        submit(assignment, material=material, defence=defence)
    (row,) = ranking_of(application).rows
    assert row.final == D("81.00")  # (80 + 81 + 82) / 3, nothing dropped


def test_a_rubric_without_defence_items_ranks_on_its_material_scores(make_scored, workstation_type):
    # A call file may score 资料审查 alone: the sheets then have no 答辩 part, which counts as 0 in the ranking.
    workstation_type.rubric_items.filter(rubric="selection", group="defence").update(group="material")
    application = make_scored("晋城市只审资料机械有限公司", uniform(80, 0))
    (row,) = ranking_of(application).rows
    assert (row.final, row.material, row.defence) == (D("80.00"), D("80.00"), D("0.00"))


def test_incomplete_applications_are_pending(make_scored):
    done = make_scored("晋城市评完机械有限公司", uniform(60, 25))
    late = make_scored("晋城市未评完机械有限公司", uniform(60, 25, experts=4))
    ranking = ranking_of(done)
    assert [row.candidate.item.pk for row in ranking.rows] == [done.pk]
    assert [candidate.item.pk for candidate in ranking.pending] == [late.pk]
    assert len(ranking.pending[0].sheets) == 4


def test_equal_finals_are_ordered_by_defence_then_material(make_scored):
    material_strong = make_scored("晋城市资料强机械有限公司", uniform(62, 20))
    defence_strong = make_scored("晋城市答辩强机械有限公司", uniform(57, 25))
    rows = ranking_of(material_strong).rows
    assert [row.candidate.item.pk for row in rows] == [defence_strong.pk, material_strong.pk]
    assert rows[0].final == rows[1].final == D("82.00")
    assert not ranking_of(material_strong).unresolved_ties


def test_the_proposed_list_is_the_top_ones_in_rank_order(make_scored, quota, call_admin_user):
    second = make_scored("晋城市第二名机械有限公司", uniform(60, 25))
    first = make_scored("晋城市第一名机械有限公司", uniform(65, 25))
    third = make_scored("晋城市第三名机械有限公司", uniform(55, 25))
    fourth = make_scored("晋城市第四名机械有限公司", uniform(50, 25))
    outcome = confirm(quota, call_admin_user, 3)
    assert not outcome.failed
    assert [result.application for result in outcome.results if result.transition == "propose"] == [
        first,
        second,
        third,
    ]
    assert [reload(item).status for item in (first, second, third, fourth)] == ["soliciting"] * 3 + ["not_selected"]
    (entry,) = AuditEntry.objects.filter(event="scoring:confirm_list")
    assert [row["number"] for row in entry.additional_data["ranking"] if row["proposed"]] == [
        first.number,
        second.number,
        third.number,
    ]
    # The ranking stays visible after the list is set.
    assert len(ranking_of(first).rows) == 4
    with pytest.raises(ValidationError) as caught:
        confirm(quota, call_admin_user, 3)
    assert caught.value.code == "nothing_waiting"


def test_more_than_the_quota_is_refused(make_scored, quota, call_admin_user):
    applications = [make_scored(f"晋城市名额{n}号机械有限公司", uniform(60 - n, 25)) for n in range(4)]
    with pytest.raises(ValidationError) as caught:
        confirm(quota, call_admin_user, 4)
    assert caught.value.messages == ["拟授牌数量不能超过名额上限3个。"]
    with pytest.raises(ValidationError) as caught:
        confirm(quota, call_admin_user, 1)
    assert caught.value.messages == ["拟授牌数量不能少于名额下限2个。"]
    assert {reload(item).status for item in applications} == {"expert_review"}


def test_under_the_pass_line_listed_but_never_proposed(make_scored, quota, call_admin_user):
    passing = make_scored("晋城市及格机械有限公司", uniform(40, 20))  # exactly 60.00
    failing = make_scored("晋城市未及格机械有限公司", uniform("39.5", 20))  # 59.50
    ranking = ranking_of(passing)
    assert [(row.candidate.item.pk, row.final, row.passes) for row in ranking.rows] == [
        (passing.pk, D("60.00"), True),
        (failing.pk, D("59.50"), False),
    ]
    with pytest.raises(ValidationError) as caught:
        confirm(quota, call_admin_user, 2)
    assert caught.value.messages == ["达到合格分数线的申报只有1个，拟授牌数量不能超过1个。"]
    outcome = confirm(quota, call_admin_user, 1)  # fewer than the lower bound (2): allowed, with a warning
    assert "达到合格分数线的申报只有1个，少于名额下限2个。" in outcome.warnings
    assert (reload(passing).status, reload(failing).status) == ("soliciting", "not_selected")


def test_pending_applications_block_the_list(make_scored, quota, call_admin_user):
    make_scored("晋城市甲机械有限公司", uniform(60, 25))
    make_scored("晋城市乙机械有限公司", uniform(55, 25))
    late = make_scored("晋城市丙机械有限公司", uniform(50, 25, experts=3))
    with pytest.raises(ValidationError) as caught:
        confirm(quota, call_admin_user, 2)
    assert caught.value.messages == ["尚有1个申报未完成专家评分，全部评分提交后才能确定拟授牌名单。"]
    assert reload(late).status == "expert_review"


def test_a_tie_at_the_cut_waits_for_the_administrators_recorded_decision(make_scored, quota, call_admin_user):
    top = make_scored("晋城市榜首机械有限公司", uniform(65, 25))
    tied_a = make_scored("晋城市并列甲机械有限公司", uniform(60, 25))
    tied_b = make_scored("晋城市并列乙机械有限公司", uniform(60, 25))
    quota.quota_max = 2
    quota.save(update_fields=["quota_max"])
    ranking = ranking_of(top)
    assert [row.rank for row in ranking.rows] == [1, 2, 2]
    with pytest.raises(ValidationError) as caught:
        confirm(quota, call_admin_user, 2)
    assert "请先决定并列名次" in caught.value.messages[0]

    ordered = [str(tied_b.public_id), str(tied_a.public_id)]
    with pytest.raises(ValidationError):
        decide_tie(call=quota.call, project_type=quota, ordered=ordered, reason=" ", actor=call_admin_user)
    with pytest.raises(ValidationError) as caught:
        decide_tie(
            call=quota.call,
            project_type=quota,
            ordered=[str(top.public_id), str(tied_a.public_id)],
            reason="试图调整非并列名次",
            actor=call_admin_user,
        )
    assert caught.value.code == "not_a_tie"
    tie_break = decide_tie(
        call=quota.call, project_type=quota, ordered=ordered, reason="乙单位答辩材料更完整。", actor=call_admin_user
    )
    assert [entry.application for entry in tie_break.entries.order_by("position")] == [tied_b, tied_a]
    assert AuditEntry.objects.filter(event="scoring:tie_break").count() == 1
    ranking = ranking_of(top)
    assert [row.candidate.item.pk for row in ranking.rows] == [top.pk, tied_b.pk, tied_a.pk]
    assert [row.rank for row in ranking.rows] == [1, 2, 3]
    confirm(quota, call_admin_user, 2)
    assert [reload(item).status for item in (top, tied_b, tied_a)] == ["soliciting", "soliciting", "not_selected"]
    with pytest.raises(ValidationError) as caught:  # the list is set: no more reordering
        decide_tie(call=quota.call, project_type=quota, ordered=ordered[::-1], reason="改变主意", actor=call_admin_user)
    assert caught.value.code in {"list_confirmed", "not_a_tie"}


def test_only_the_citys_administrator_ranks_and_proposes(make_scored, quota, chair, hr_reviewer, other_city_admin):
    make_scored("晋城市权限机械有限公司", uniform(60, 25))
    for actor in (chair, hr_reviewer, other_city_admin):
        with pytest.raises(PermissionDenied):
            confirm(quota, actor, 1)
        with pytest.raises(PermissionDenied):
            decide_tie(call=quota.call, project_type=quota, ordered=["a", "b"], reason="x", actor=actor)
    assert not TieBreak.objects.exists()
