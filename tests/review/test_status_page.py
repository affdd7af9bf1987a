"""The status page shows where the application stands in the notice's steps, final states as such, and comments."""

import pytest
from django.urls import reverse

from shenbao.applications.models import Application
from shenbao.applications.selectors import get_progress
from shenbao.applications.services import fire_transition
from shenbao.review.services import decide_first_review, record_recheck_decision

from .builders import AFTER, DUE
from .test_transition_matrix import bring_to

STEPS = ["提交", "资格初审", "资格复核", "专家评审", "征求意见", "公示", "授牌"]


def states(progress):
    return [step["state"] for step in progress]


def progress_on_page(client, user, application):
    client.force_login(user)
    response = client.get(reverse("applications:detail", kwargs={"public_id": application.public_id}))
    assert response.status_code == 200
    assert [str(step["label"]) for step in response.context["progress"]] == STEPS
    return states(response.context["progress"]), response


D, C, P, S, K = "done", "current", "pending", "stopped", "skipped"


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("draft", [C, P, P, P, P, P, P]),
        ("submitted", [D, C, P, P, P, P, P]),
        ("returned", [D, C, P, P, P, P, P]),
        ("recheck", [D, D, C, P, P, P, P]),
        ("expert_review", [D, D, D, C, P, P, P]),
        ("soliciting", [D, D, D, D, C, P, P]),
        ("opinion_hold", [D, D, D, D, C, P, P]),
        ("in_notice", [D, D, D, D, D, C, P]),
    ],
)
def test_progress_of_every_state_on_the_way(client, state, expected, ready_draft, roles, org_reviewer):
    application = bring_to(state, draft=ready_draft, users=roles, org_reviewer=org_reviewer)
    progress, response = progress_on_page(client, roles["applicant_of_unit"], application)
    assert progress == expected
    assert response.context["is_final"] is False
    assert "该申报已办结" not in response.content.decode()


def final(client, application, user, expected):
    progress, response = progress_on_page(client, user, application)
    assert progress == expected
    assert response.context["is_final"] is True
    assert f"该申报已办结：{application.get_status_display()}" in response.content.decode()


def test_withdrawn_stops_at_first_review(client, submitted, applicant):
    application = fire_transition(application=submitted, name="withdraw", actor=applicant, at=AFTER)
    final(client, application, applicant, [D, S, K, K, K, K, K])


def test_a_first_review_rejection_stops_at_first_review_with_the_reason(client, submitted, applicant, county_reviewer):
    application = decide_first_review(
        application=submitted, user=county_reviewer, decision="reject", comment="不属于可申报单位类型。", at=AFTER
    )
    final(client, application, applicant, [D, S, K, K, K, K, K])
    assert (
        "不属于可申报单位类型。"
        in client.get(reverse("applications:detail", args=[application.public_id])).content.decode()
    )


def test_a_recheck_rejection_stops_at_recheck(client, in_recheck, applicant, org_reviewer):
    application = record_recheck_decision(
        application=in_recheck, user=org_reviewer, decision="reject", comment="材料不实。", at=AFTER
    )
    final(client, application, applicant, [D, D, S, K, K, K, K])


def test_not_selected_stops_at_expert_review_or_at_opinions(client, ready_draft, roles, org_reviewer, make_submitted):
    admin = roles["call_admin"]
    application = bring_to("expert_review", draft=ready_draft, users=roles, org_reviewer=org_reviewer)
    application = fire_transition(
        application=application, name="not_select", actor=admin, comment="排名靠后。", at=AFTER
    )
    final(client, application, roles["applicant_of_unit"], [D, D, D, S, K, K, K])


def test_excluded_after_an_opinion_stops_at_opinions(client, ready_draft, roles, org_reviewer):
    application = bring_to("opinion_hold", draft=ready_draft, users=roles, org_reviewer=org_reviewer)
    application = fire_transition(
        application=application, name="exclude_after_opinion", actor=roles["call_admin"], comment="欠税。", at=AFTER
    )
    final(client, application, roles["applicant_of_unit"], [D, D, D, D, S, K, K])


@pytest.mark.parametrize(
    ("status", "expected"),
    [("awarded", [D] * 7), ("objection_upheld", [D, D, D, D, D, S, K])],
)
def test_states_after_the_notice(db, status, expected):
    # 授牌 and 异议成立 need a published and closed notice (notices tests fire them); the display rule is shown here.
    assert states(get_progress(application=Application(status=status))) == expected


def test_a_returned_application_shows_the_reason_and_the_due_date(client, submitted, applicant, county_reviewer):
    application = decide_first_review(
        application=submitted,
        user=county_reviewer,
        decision="return",
        comment="请补充第3名技师的证书。",
        resubmission_due=DUE,
        at=AFTER,
    )
    _progress_states, response = progress_on_page(client, applicant, application)
    page = response.content.decode()
    assert "请补充第3名技师的证书。" in page
    assert "补正截止日期：2022年12月20日" in page
    assert "申报已被退回修改" in page
