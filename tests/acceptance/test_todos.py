"""待办 of 评估验收 through HTTP: the unit's reports, the administrator's reports to review, evaluations waiting
for experts and for the result, and the experts' sheets to submit.

The dashboard's 待办 (shenbao/core/todos.py) of the acceptance stage, tested beside that stage's fixtures.
"""

import pytest
from django.urls import reverse

from shenbao.acceptance.reviews import assign_experts, submit_review
from tests.acceptance.builders import YEARS, accept_all_reports, apply_for_acceptance, file_report, full_marks

pytestmark = pytest.mark.django_db


def todos_of(client, user):
    client.force_login(user)
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 200
    return {todo.text: (todo.url, todo.overdue) for todo in response.context["dashboard"].todos}


def test_reports_go_from_the_unit_to_the_administrator(client, make_designated, call_admin_user):
    application, user = make_designated()
    home = reverse("acceptance:home")
    reports = f"{reverse('acceptance:admin_reports')}?status=submitted"
    assert todos_of(client, user) == {f"{len(YEARS)}份年度进展报告待报送": (home, len(YEARS))}

    file_report(application, user, YEARS[0])

    assert todos_of(client, user) == {f"{len(YEARS) - 1}份年度进展报告待报送": (home, len(YEARS) - 1)}
    assert todos_of(client, call_admin_user) == {"1份年度进展报告待审核": (reports, 0)}


def test_an_evaluation_waits_for_experts_then_for_the_result(client, make_designated, call_admin_user, experts):
    application, user = make_designated()
    accept_all_reports(application, user, call_admin_user)
    evaluation = apply_for_acceptance(application, user)
    evaluations = f"{reverse('acceptance:admin_evaluations')}?status=submitted"

    assert todos_of(client, user) == {}
    assert todos_of(client, call_admin_user) == {"1项评估验收待指派专家": (evaluations, 0)}

    reviews = assign_experts(evaluation=evaluation, experts=experts[:-1], actor=call_admin_user)
    # One expert short of the call's acceptance panel: still waiting for experts.
    assert todos_of(client, call_admin_user) == {"1项评估验收待指派专家": (evaluations, 0)}
    reviews += assign_experts(evaluation=evaluation, experts=experts[-1:], actor=call_admin_user)
    assert todos_of(client, call_admin_user) == {}
    assert todos_of(client, experts[0]) == {"1份验收评分表待提交": (reverse("acceptance:expert_reviews"), 0)}

    for review in reviews:
        submit_review(review=review, user=review.expert, scores=full_marks(application), opinion="同意。")

    assert todos_of(client, experts[0]) == {}
    assert todos_of(client, call_admin_user) == {"1项评估验收专家评分已齐，待出结论": (evaluations, 0)}
