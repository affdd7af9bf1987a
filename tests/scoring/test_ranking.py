"""Ranking rules as pure functions: order, tie-breaks (defence, then material, then the administrator), the pass
line at its boundary, pending applications, and the number to propose within the quota."""

from decimal import Decimal

from shenbao.calls.aggregation import AggregationRule
from shenbao.scoring.ranking import Candidate, SheetScore, check_proposal_count, rank_candidates

D = Decimal
PASS_LINE = D("60")


def sheet(material, defence):
    return SheetScore(total=D(material) + D(defence), material=D(material), defence=D(defence))


def candidate(key, *sheets, expected=None):
    return Candidate(key=key, sheets=tuple(sheets), expected=len(sheets) if expected is None else expected, order=key)


def same(key, material, defence, experts=5):
    return candidate(key, *[sheet(material, defence)] * experts)


def rank(*candidates, method="trimmed_mean", tie_breaks=None, pass_line=PASS_LINE, trim_minimum=5):
    rule = AggregationRule(method=method, trim_minimum=trim_minimum)
    return rank_candidates(candidates=candidates, rule=rule, pass_line=pass_line, tie_breaks=tie_breaks)


def keys(ranking):
    return [row.key for row in ranking.rows]


def test_final_score_uses_the_calls_method():
    # totals 88, 90, 75, 95, 82 (material 60 each, defence varies)
    five = candidate("a", *(sheet(60, total - 60) for total in (88, 90, 75, 95, 82)))
    for method, expected in (("trimmed_mean", "86.67"), ("mean", "86.00"), ("median", "88.00")):
        (row,) = rank(five, method=method).rows
        assert row.final == D(expected)
        assert row.material == D("60.00")


def test_components_are_aggregated_the_same_way():
    sheets = [sheet(70, 30), sheet(50, 10), sheet(60, 20), sheet(65, 25), sheet(55, 15)]
    (row,) = rank(candidate("a", *sheets)).rows
    assert (row.final, row.material, row.defence) == (D("80.00"), D("60.00"), D("20.00"))


def test_higher_final_ranks_first():
    ranking = rank(same("low", 50, 20), same("high", 60, 20), same("mid", 55, 20))
    assert keys(ranking) == ["high", "mid", "low"]
    assert [row.rank for row in ranking.rows] == [1, 2, 3]


def test_equal_final_higher_defence_wins():
    ranking = rank(same("material-strong", 60, 20), same("defence-strong", 55, 25))
    assert keys(ranking) == ["defence-strong", "material-strong"]
    assert not ranking.unresolved_ties


def test_defence_decides_before_material():
    x = candidate("x", sheet(50, 20), sheet(50, 20), sheet(50, 20))  # final 70, defence 20.00, material 50.00
    y = candidate("y", sheet(50, 20), sheet(50, 20), sheet(51, 19))  # final 70, defence 19.67, material 50.33
    ranking = rank(y, x, method="mean")
    assert [(row.key, row.final, row.defence, row.material) for row in ranking.rows] == [
        ("x", D("70.00"), D("20.00"), D("50.00")),
        ("y", D("70.00"), D("19.67"), D("50.33")),
    ]


def test_material_breaks_a_tie_of_final_and_defence():
    # Median: final and defence equal, material differs (the median of each component is taken separately).
    p = candidate("p", sheet(60, 20), sheet(62, 18), sheet(58, 22))  # totals 80,80,80; defence med 20; material 60
    q = candidate("q", sheet(61, 19), sheet(59, 21), sheet(61, 20))  # totals 80,80,81 → 80; defence 20; material 61
    ranking = rank(p, q, method="median")
    assert [(row.key, row.final, row.defence, row.material) for row in ranking.rows] == [
        ("q", D("80.00"), D("20.00"), D("61.00")),
        ("p", D("80.00"), D("20.00"), D("60.00")),
    ]
    assert not ranking.unresolved_ties


def test_a_full_tie_waits_for_the_administrator():
    ranking = rank(same("b", 60, 20), same("a", 60, 20), same("c", 50, 20))
    assert [row.rank for row in ranking.rows] == [1, 1, 3]  # 并列第1名
    assert [row.position for row in ranking.rows] == [1, 2, 3]
    (group,) = ranking.unresolved_ties
    assert {row.key for row in group} == {"a", "b"}
    decided = rank(same("b", 60, 20), same("a", 60, 20), same("c", 50, 20), tie_breaks={frozenset("ab"): ["b", "a"]})
    assert keys(decided) == ["b", "a", "c"]
    assert [row.rank for row in decided.rows] == [1, 2, 3]
    assert not decided.unresolved_ties
    assert decided.rows[0].tie_resolved


def test_a_decision_about_another_group_does_not_apply():
    # b and a were tied; now c joins them (scores changed after a reopening): the old decision is stale.
    ranking = rank(same("a", 60, 20), same("b", 60, 20), same("c", 60, 20), tie_breaks={frozenset("ab"): ["b", "a"]})
    assert len(ranking.unresolved_ties) == 1
    assert all(row.rank == 1 for row in ranking.rows)


def test_pass_line_boundary():
    at_line = same("at", 40, 20)  # 60.00
    below = candidate("below", *[sheet(D("39.5"), D("20"))] * 4, sheet(40, 20))  # trimmed: 59.50
    just_below = candidate("just", sheet(D("40"), D("19.5")), sheet(40, 20), sheet(40, 20))  # mean 59.83
    ranking = rank(at_line, below, just_below)
    assert [(row.key, row.final, row.passes) for row in ranking.rows] == [
        ("at", D("60.00"), True),
        ("just", D("59.83"), False),
        ("below", D("59.50"), False),
    ]
    assert [row.key for row in ranking.passing] == ["at"]
    assert rank(same("x", D("59.99"), 0, experts=1)).rows[0].passes is False
    assert rank(same("x", D("59.99"), 0, experts=1), pass_line=D("59.99")).rows[0].passes is True


def test_incomplete_applications_are_pending_not_ranked():
    missing_one = candidate("late", *[sheet(60, 20)] * 4, expected=5)
    no_experts = candidate("none")
    ranking = rank(same("done", 50, 20), missing_one, no_experts)
    assert keys(ranking) == ["done"]
    assert [item.key for item in ranking.pending] == ["late", "none"]


def five_passing_and_two_failing():
    rows = [same(f"p{n}", 60 - n, 20) for n in range(5)] + [same("f1", 30, 20), same("f2", 20, 20)]
    return rank(*rows)


def test_proposal_count_within_the_quota():
    ranking = rank(*[same(f"p{n}", 70 - n, 20) for n in range(12)])
    assert check_proposal_count(ranking=ranking, count=5, quota_min=5, quota_max=10) == ([], [])
    assert check_proposal_count(ranking=ranking, count=10, quota_min=5, quota_max=10) == ([], [])
    errors, _ = check_proposal_count(ranking=ranking, count=11, quota_min=5, quota_max=10)
    assert errors == ["拟授牌数量不能超过名额上限10个。"]
    errors, _ = check_proposal_count(ranking=ranking, count=4, quota_min=5, quota_max=10)
    assert errors == ["拟授牌数量不能少于名额下限5个。"]


def test_fewer_than_the_lower_bound_only_when_fewer_pass():
    ranking = rank(same("a", 60, 20), same("b", 55, 20), same("c", 50, 20), same("f", 10, 20))  # 3 pass
    errors, warnings = check_proposal_count(ranking=ranking, count=3, quota_min=5, quota_max=10)
    assert errors == []
    assert warnings == ["达到合格分数线的申报只有3个，少于名额下限5个。"]
    errors, _ = check_proposal_count(ranking=ranking, count=4, quota_min=5, quota_max=10)
    assert errors == ["达到合格分数线的申报只有3个，拟授牌数量不能超过3个。"]
    errors, _ = check_proposal_count(ranking=ranking, count=2, quota_min=5, quota_max=10)
    assert errors == ["达到合格分数线的申报只有3个，应全部列入拟授牌名单。"]


def test_nobody_passes():
    ranking = rank(same("f", 10, 20))
    assert check_proposal_count(ranking=ranking, count=0, quota_min=5, quota_max=10) == (
        [],
        ["达到合格分数线的申报只有0个，少于名额下限5个。"],
    )


def test_pending_applications_block_the_list():
    ranking = rank(*[same(f"p{n}", 70 - n, 20) for n in range(5)], candidate("late", expected=5))
    errors, _ = check_proposal_count(ranking=ranking, count=5, quota_min=5, quota_max=10)
    assert errors == ["尚有1个申报未完成专家评分，全部评分提交后才能确定拟授牌名单。"]


def test_an_unresolved_tie_at_the_cut_blocks_the_list_until_decided():
    candidates = [same(f"p{n}", 70 - n, 20) for n in range(4)] + [same("t1", 60, 20), same("t2", 60, 20)]
    ranking = rank(*candidates)
    errors, _ = check_proposal_count(ranking=ranking, count=5, quota_min=5, quota_max=10)
    assert errors == ["第5名与第6名得分完全相同（总分、答辩、资料审查均相同），请先决定并列名次。"]
    # Both in, or the tie decided: fine.
    assert check_proposal_count(ranking=ranking, count=6, quota_min=5, quota_max=10) == ([], [])
    decided = rank(*candidates, tie_breaks={frozenset({"t1", "t2"}): ["t2", "t1"]})
    assert check_proposal_count(ranking=decided, count=5, quota_min=5, quota_max=10) == ([], [])
    assert decided.rows[4].key == "t2"


def test_a_tie_away_from_the_cut_does_not_block():
    ranking = rank(same("t1", 70, 20), same("t2", 70, 20), *[same(f"p{n}", 60 - n, 20) for n in range(4)])
    assert check_proposal_count(ranking=ranking, count=5, quota_min=5, quota_max=10) == ([], [])


def test_a_row_with_fewer_sheets_than_trimming_needs_says_it_took_the_mean():
    four = candidate("four", *(sheet(60, total - 60) for total in (88, 90, 75, 95)))
    five = candidate("five", *(sheet(60, total - 60) for total in (88, 90, 75, 95, 82)))
    rows = {row.key: row for row in rank(four, five).rows}
    assert rows["four"].final == D("87.00")  # (88 + 90 + 75 + 95) / 4, nothing dropped
    assert rows["four"].method_note == "仅4份评分表，不足5份，按算术平均汇总"
    assert rows["five"].final == D("86.67") and rows["five"].method_note == ""
    # The call's minimum decides: with 4 it trims four sheets too (drop 95 and 75: (88 + 90) / 2).
    rows = {row.key: row for row in rank(four, five, trim_minimum=4).rows}
    assert rows["four"].final == D("89.00") and rows["four"].method_note == ""


def test_a_summarised_ranking_keeps_everything_shown_but_the_sheets_scores():
    full = rank(same("a", 60, 25), same("b", 50, 25), candidate("c", sheet(60, 25), expected=3))
    shown = full.summarised()
    assert [(row.key, row.rank, row.final, row.passes, row.candidate.sheet_count) for row in shown.rows] == [
        (row.key, row.rank, row.final, row.passes, 5) for row in full.rows
    ]
    assert [(candidate.key, candidate.sheet_count, candidate.expected) for candidate in shown.pending] == [("c", 1, 3)]
    assert all(row.candidate.sheets == () for row in shown.rows) and shown.pending[0].sheets == ()
    assert [len(row.candidate.sheets) for row in full.rows] == [5, 5]  # the full ranking is left as it was
