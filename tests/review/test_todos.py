"""待办 on the dashboard, through HTTP per role: the count, the link to the page where the work is done, the
overdue mark at its boundary (the deadline's own day is in time, the next day overdue), and the query count.

The dashboard's 待办 (shenbao/core/todos.py) of the review, opinion and scoring stages, tested beside their
fixtures.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shenbao.accounts.roles import Role
from shenbao.applications.models import Application
from shenbao.applications.workflow import ApplicationStatus
from shenbao.core.todos import list_todos
from shenbao.opinions.models import OpinionRequest
from tests.factories import UserFactory
from tests.review.builders import pass_first_review, pass_recheck
from tests.scoring.builders import assign, make_expert, submit

pytestmark = pytest.mark.django_db


def todos_of(client, user):
    """{text: (href, overdue badge or "")} of the dashboard's 待办 list, as the page shows it."""
    client.force_login(user)
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 200
    return {todo.text: (todo.url, todo.overdue) for todo in response.context["dashboard"].todos}, (
        response.content.decode()
    )


def dashboard_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("core:dashboard")).status_code == 200
    return len(queries)


def test_county_reviewer_sees_what_waits_for_first_review_in_its_county_only(
    client, make_submitted, county_reviewer, zezhou_reviewer
):
    make_submitted()
    make_submitted()
    make_submitted(region="140525")  # 泽州县: another body's queue

    todos, content = todos_of(client, county_reviewer)

    # The 2022 call's 资格初审截止日期 has long passed: both are overdue.
    queue = reverse("review:first_review_queue")
    assert todos == {"2件待初审": (queue, 2)}
    assert f'<a href="{queue}">2件待初审</a>' in content
    assert '<span class="badge text-bg-danger">2项已逾期</span>' in content
    assert todos_of(client, zezhou_reviewer)[0] == {"1件待初审": (queue, 1)}


def test_first_review_is_overdue_the_day_after_the_calls_first_review_due(make_submitted, county_reviewer, call):
    make_submitted()
    due = call.first_review_due
    assert due is not None

    [on_the_day] = list_todos(user=county_reviewer, today=due)
    [day_after] = list_todos(user=county_reviewer, today=due + datetime.timedelta(days=1))

    assert (on_the_day.total, on_the_day.overdue) == (1, 0)
    assert (day_after.total, day_after.overdue) == (1, 1)


def test_dashboard_costs_the_same_with_one_or_many_waiting_applications(client, make_submitted, county_reviewer):
    make_submitted()
    client.force_login(county_reviewer)
    assert dashboard_queries(client) == 11
    for _ in range(4):
        make_submitted()
    assert dashboard_queries(client) == 11
    assert todos_of(client, county_reviewer)[0] == {"5件待初审": (reverse("review:first_review_queue"), 5)}


def test_departments_find_their_opinion_requests_in_the_menu_and_the_todo(
    client, soliciting, tax_user, chengqu_reviewer
):
    inbox = reverse("opinions:inbox")
    OpinionRequest.objects.update(due_on=timezone.localdate())

    todos, content = todos_of(client, tax_user)
    assert todos == {"2份征求意见待回复": (inbox, 0)}
    assert f'<a class="nav-link" href="{inbox}">征求意见</a>' in content

    # The 城区 bureau answers as 上级主管单位 of the county unit (the city-direct one is the 国资委's).
    todos, content = todos_of(client, chengqu_reviewer)
    assert todos == {"1份征求意见待回复": (inbox, 0)}
    assert f'<a class="nav-link" href="{inbox}">征求意见</a>' in content


def test_an_opinion_request_is_marked_overdue_from_the_day_after_its_due_date(client, soliciting, chengqu_reviewer):
    today = timezone.localdate()
    requests = OpinionRequest.objects.filter(department=chengqu_reviewer.organisation)

    requests.update(due_on=today)  # the last day: still in time
    todos, content = todos_of(client, chengqu_reviewer)
    assert todos["1份征求意见待回复"][1] == 0
    assert "已逾期" not in content
    assert "已逾期" not in client.get(reverse("opinions:inbox")).content.decode()

    requests.update(due_on=today - datetime.timedelta(days=1))  # the day after the last day
    todos, content = todos_of(client, chengqu_reviewer)
    assert todos["1份征求意见待回复"][1] == 1
    assert '<span class="badge text-bg-danger">1项已逾期</span>' in content
    assert '<span class="badge text-bg-danger">已逾期</span>' in client.get(reverse("opinions:inbox")).content.decode()


def test_city_reviewers_each_see_the_applications_their_body_has_not_decided(
    client, make_submitted, county_reviewer, org_reviewer, hr_reviewer, call_admin_user
):
    in_recheck = pass_first_review(make_submitted(), county_reviewer)
    pass_first_review(make_submitted(), county_reviewer)
    pass_recheck(in_recheck, org_reviewer)  # only 市委组织部 has decided on the first one

    assert todos_of(client, org_reviewer)[0] == {"1件待复核": (reverse("review:recheck_queue"), 0)}
    assert todos_of(client, hr_reviewer)[0] == {"2件待复核": (reverse("review:recheck_queue"), 0)}
    assert todos_of(client, call_admin_user)[0] == {"2件申报资格复核中": (reverse("applications:list"), 0)}


def test_applicant_sees_its_returned_application_overdue_after_the_resubmission_due(client, submitted, applicant):
    today = timezone.localdate()
    returned = Application.objects.filter(pk=submitted.pk)

    returned.update(status=ApplicationStatus.RETURNED, resubmission_due=today)
    assert todos_of(client, applicant)[0] == {"1件申报退回待修改": (reverse("applications:list"), 0)}

    returned.update(resubmission_due=today - datetime.timedelta(days=1))
    todos, content = todos_of(client, applicant)
    assert todos == {"1件申报退回待修改": (reverse("applications:list"), 1)}
    assert "1项已逾期" in content


def test_expert_sees_unsubmitted_sheets_and_the_administrator_the_next_steps(
    client, make_waiting, make_panel, call_admin_user
):
    experts = [make_expert(f"评审专家{n}") for n in range(1, 4)]
    panel = make_panel(experts=experts, chair=experts[0])
    scored = make_waiting(name="晋城市评分精工机械有限公司", complete=True)
    make_waiting(name="晋城市待分配机械有限公司")
    assignments = assign(panel, scored, experts)

    assert todos_of(client, experts[0])[0] == {"1份评分表待提交": (reverse("scoring:my_assignments"), 0)}
    assert todos_of(client, call_admin_user)[0] == {"1件申报待分配评审专家": (reverse("experts:panels"), 0)}

    for assignment in assignments:
        submit(assignment, material=50, defence=30)

    assert todos_of(client, experts[0])[0] == {}
    assert todos_of(client, call_admin_user)[0] == {
        "1件申报待分配评审专家": (reverse("experts:panels"), 0),
        "1个专家组评分表已全部提交，待汇总排名": (reverse("scoring:ranking"), 0),
    }


def test_administrator_follows_unanswered_opinions_then_the_notice_to_publish(
    client, soliciting, call_admin_user, tax_user
):
    open_requests = OpinionRequest.objects.filter(application__in=soliciting)
    open_requests.update(due_on=timezone.localdate())
    todos = todos_of(client, call_admin_user)[0]
    assert todos == {f"{open_requests.count()}份征求意见尚未回复": (reverse("opinions:progress"), 0)}

    open_requests.update(response=OpinionRequest.Response.NO_OBJECTION, responded_at=timezone.now())

    ready = {"2家单位征求意见已完成，待发布公示": (reverse("notices:publish"), 0)}
    assert todos_of(client, call_admin_user)[0] == ready


def test_call_admin_dashboard_costs_the_same_with_one_or_many_items(client, make_waiting, call_admin_user):
    make_waiting()
    client.force_login(call_admin_user)
    few = dashboard_queries(client)
    assert few == 20  # with 通知公告待审核 (one count, however many announcements wait)
    for _ in range(3):
        make_waiting()
    assert dashboard_queries(client) == few


def test_nothing_waiting_says_so(client, county_reviewer):
    todos, content = todos_of(client, county_reviewer)
    assert todos == {}
    assert "暂无待办事项。" in content


def test_a_user_without_roles_has_no_todos(reference):
    assert list_todos(user=UserFactory(roles=[])) == []


def test_an_expert_of_an_applicant_unit_is_not_counted_its_units_work(client, submitted, unit):
    """Todos follow roles, not organisations: an expert working at an applicant unit sees no returned application."""
    Application.objects.filter(pk=submitted.pk).update(status=ApplicationStatus.RETURNED)
    expert = UserFactory(organisation=unit, roles=[Role.EXPERT])
    assert todos_of(client, expert)[0] == {}
