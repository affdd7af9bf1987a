"""The proposed list follows the experts' ranking when the project type has a panel (`scoring.proposals`), on
both ways of proposing: `opinions.services.propose_applications` (the opinions page) and the ranking page's
`confirm_proposed_list`. Without a panel the administrator still picks by hand."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shenbao.calls.aggregation import AggregationRule
from shenbao.opinions.services import propose_applications
from shenbao.scoring.proposals import (
    RULE_MESSAGE,
    check_ranked_selection,
    check_selection_follows_ranking,
    proposal_follows_ranking,
)
from shenbao.scoring.ranking import Candidate, SheetScore, rank_candidates

from .builders import OPINION_DUE, reload, uniform

pytestmark = pytest.mark.django_db
D = Decimal
REASON = "经专家评审，综合得分未进入拟授牌名额。"


def propose(project_type, admin, selected):
    return propose_applications(
        call=project_type.call,
        project_type=project_type,
        selected=selected,
        opinion_due=OPINION_DUE,
        not_selected_reason=REASON,
        actor=admin,
    )


@pytest.fixture
def quota(workstation_type):
    """The workstation quota narrowed to 2–3, so the boundaries need few applications."""
    workstation_type.quota_min, workstation_type.quota_max = 2, 3
    workstation_type.save(update_fields=["quota_min", "quota_max"])
    return workstation_type


@pytest.fixture
def ranked(make_scored, quota):
    """Four scored applications, best first: 90, 85, 80, 75 (all above the pass line)."""
    return [
        make_scored(f"晋城市排名第{place}机械有限公司", uniform(65 - 5 * index, 25))
        for index, place in enumerate("一二三四")
    ]


# --- the pure rule ------------------------------------------------------------------------------------------------


def _ranking(*finals):
    candidates = [
        Candidate(key=f"k{n}", sheets=(SheetScore(total=D(f), material=D(f), defence=D(0)),), expected=1, order=n)
        for n, f in enumerate(finals)
    ]
    return rank_candidates(candidates=candidates, rule=AggregationRule(method="mean"), pass_line=D(60))


class _Item:
    number = "2022-01-0001"


def _with_items(ranking):
    for row in ranking.rows:
        row.candidate.item = _Item()
    return ranking


@pytest.mark.parametrize(
    ("selected", "accepted"),
    [
        (["k0", "k1"], True),  # the top two
        (["k1", "k0"], True),  # order of the selection does not matter, the set does
        (["k0", "k1", "k2"], True),  # top three (the quota's upper bound)
        (["k0", "k2"], False),  # skips the second
        (["k1", "k2"], False),  # leaves out the first
        (["k0"], False),  # below the lower bound although enough pass
        (["k0", "k1", "k2", "k3"], False),  # above the upper bound
    ],
)
def test_only_the_top_n_within_the_quota_is_accepted(selected, accepted):
    ranking = _with_items(_ranking(90, 85, 80, 75))
    errors, _warnings = check_ranked_selection(ranking=ranking, selected_keys=selected, quota_min=2, quota_max=3)
    assert (not errors) is accepted, errors
    if not accepted:
        assert errors[0] == RULE_MESSAGE


def test_a_hand_picked_set_names_what_the_ranking_would_take():
    ranking = _with_items(_ranking(90, 85, 80))
    errors, _warnings = check_ranked_selection(ranking=ranking, selected_keys=["k0", "k2"], quota_min=2, quota_max=3)
    expected = "所选2个单位不是评审排名的前2位（按排名应为：第1名 2022-01-0001、第2名 2022-01-0001）。"
    assert errors == [RULE_MESSAGE, expected]


def test_under_the_pass_line_fewer_than_the_lower_bound_is_a_warning_only():
    ranking = _with_items(_ranking(90, 59))
    errors, warnings = check_ranked_selection(ranking=ranking, selected_keys=["k0"], quota_min=2, quota_max=3)
    assert errors == []
    assert warnings == ["达到合格分数线的申报只有1个，少于名额下限2个。"]


# --- through propose_applications (the opinions page's service) ------------------------------------------------


def test_with_a_panel_a_hand_picked_selection_is_refused_and_nothing_changes(ranked, quota, call_admin_user):
    first, _second, third, _fourth = ranked
    assert proposal_follows_ranking(call=quota.call, project_type=quota)

    with pytest.raises(ValidationError) as caught:
        propose(quota, call_admin_user, [first, third])

    assert {error.code for error in caught.value.error_list} == {"not_by_ranking"}
    assert caught.value.messages[0] == RULE_MESSAGE
    assert "不是评审排名的前2位" in caught.value.messages[1]
    assert {reload(item).status for item in ranked} == {"expert_review"}


def test_with_a_panel_the_top_n_is_accepted(ranked, quota, call_admin_user):
    first, second, *_rest = ranked

    outcome = propose(quota, call_admin_user, [second, first])

    assert not outcome.failed, [result.messages for result in outcome.failed]
    assert [reload(item).status for item in ranked] == ["soliciting", "soliciting", "not_selected", "not_selected"]


def test_with_a_panel_too_few_is_refused_when_enough_pass(ranked, quota, call_admin_user):
    with pytest.raises(ValidationError) as caught:
        propose(quota, call_admin_user, ranked[:1])
    assert "拟授牌数量不能少于名额下限2个。" in caught.value.messages
    assert {reload(item).status for item in ranked} == {"expert_review"}


def test_with_a_panel_nothing_is_proposed_while_scoring_is_pending(make_scored, quota, call_admin_user):
    done = [make_scored(f"晋城市已评{n}机械有限公司", uniform(60, 25)) for n in range(2)]
    late = make_scored("晋城市未评完机械有限公司", uniform(60, 25, experts=2))

    with pytest.raises(ValidationError) as caught:
        propose(quota, call_admin_user, done)

    assert "尚有1个申报未完成专家评分，全部评分提交后才能确定拟授牌名单。" in caught.value.messages
    assert reload(late).status == "expert_review"


def test_without_a_panel_the_administrator_still_picks_by_hand(make_waiting, quota, call_admin_user):
    applications = [make_waiting(name=f"晋城市无专家组{n}机械有限公司") for n in range(3)]
    assert not proposal_follows_ranking(call=quota.call, project_type=quota)
    assert check_selection_follows_ranking(call=quota.call, project_type=quota, selected=applications[1:]) == []

    outcome = propose(quota, call_admin_user, [applications[0], applications[2]])

    assert not outcome.failed
    assert [reload(item).status for item in applications] == ["soliciting", "not_selected", "soliciting"]


def test_the_ranking_page_path_passes_the_same_check(ranked, quota, call_admin_user):
    from shenbao.scoring.services_ranking import confirm_proposed_list

    outcome = confirm_proposed_list(
        call=quota.call,
        project_type=quota,
        count=3,
        opinion_due=OPINION_DUE,
        not_selected_reason=REASON,
        actor=call_admin_user,
    )
    assert not outcome.failed
    assert [reload(item).status for item in ranked] == ["soliciting"] * 3 + ["not_selected"]


# --- the opinions page -------------------------------------------------------------------------------------------


def _proposals_url(project_type):
    return f"{reverse('opinions:proposals')}?call={project_type.call.slug}&type={project_type.code}"


def test_with_a_panel_the_opinions_page_shows_the_ranking_list_and_links_to_the_ranking(
    client, ranked, quota, call_admin_user
):
    client.force_login(call_admin_user)
    response = client.get(_proposals_url(quota))
    html = response.content.decode()

    assert response.status_code == 200
    assert response.context["by_ranking"] is True
    assert [row.candidate.item.pk for row in response.context["ranked"].rows] == [item.pk for item in ranked[:3]]
    assert reverse("scoring:ranking") in html
    assert 'type="checkbox"' not in html  # no free selection
    assert "90.00" in html and ranked[0].unit.name in html


def test_with_a_panel_a_hand_picked_post_on_the_opinions_page_is_refused(client, ranked, quota, call_admin_user):
    client.force_login(call_admin_user)
    data = {
        "selected": [str(ranked[0].public_id), str(ranked[3].public_id)],
        "opinion_due": OPINION_DUE,
        "not_selected_reason": REASON,
    }
    response = client.post(_proposals_url(quota), data)

    assert response.status_code == 200
    assert str(RULE_MESSAGE) in response.content.decode()
    assert {reload(item).status for item in ranked} == {"expert_review"}


def test_without_a_panel_the_opinions_page_keeps_the_checkboxes(client, make_waiting, quota, call_admin_user):
    make_waiting(name="晋城市勾选机械有限公司")
    client.force_login(call_admin_user)
    response = client.get(_proposals_url(quota))
    assert response.context["by_ranking"] is False
    assert 'type="checkbox"' in response.content.decode()


# The whole page's queries, exactly: the same with one row as with many, so a fixed extra query fails too.
PROPOSALS_QUERIES = 12


def test_the_ranking_list_on_the_opinions_page_does_not_grow_in_queries(client, make_scored, quota, call_admin_user):
    make_scored("晋城市查询甲机械有限公司", uniform(60, 25))
    client.force_login(call_admin_user)
    url = _proposals_url(quota)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    one = count()
    for n in range(3):
        make_scored(f"晋城市查询{n}号机械有限公司", uniform(55, 25))
    assert (one, count()) == (PROPOSALS_QUERIES, PROPOSALS_QUERIES)
