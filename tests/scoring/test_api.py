"""The scoring API (/api/scoring/): the same scoping and services as the pages. Another expert's assignment answers
404, refused points 400 naming each item, a submitted sheet 409 in Chinese; session auth with CSRF."""

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shenbao.audit.models import AuditEntry
from shenbao.scoring.models import ScoreSheet

from .builders import assign, scores_for, submit

pytestmark = pytest.mark.django_db
D = Decimal
BASE = "/api/scoring"


def sheet_url(assignment, suffix=""):
    return f"{BASE}/assignments/{assignment.public_id}/sheet{suffix}"


def entries(assignment, **totals):
    return {
        code: {"points": value["points"], "comment": "评语"}
        for code, value in scores_for(assignment.application.project_type, **totals).items()
    }


def put(client, url, body):
    return client.put(url, data=json.dumps(body), content_type="application/json")


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_an_expert_lists_only_their_assignments(client, assignments, make_waiting, panel, experts):
    other = make_waiting(name="晋城市接口另一家机械有限公司")
    assign(panel, other, experts[1:2])
    client.force_login(assignments[0].expert)
    response = client.get(f"{BASE}/assignments")
    assert response.status_code == 200
    assert response.json() == [
        {
            "id": str(assignments[0].public_id),
            "application_number": assignments[0].application.number,
            "unit": "晋城市评分精工机械有限公司",
            "county": "城区",
            "project_type": "市级技师工作站",
            "panel": "市级技师工作站评审专家组",
            "sheet_status": "new",
        }
    ]


def test_reading_the_sheet_gives_the_rubric_of_the_call(client, assignments):
    client.force_login(assignments[0].expert)
    body = client.get(sheet_url(assignments[0])).json()
    assert (body["status"], body["editable"], body["revision"], D(body["step"])) == ("new", True, 0, D("0.5"))
    assert [(item["code"], item["group"], D(item["max_points"])) for item in body["items"]][:2] == [
        ("leaders-team", "material", D("20")),
        ("talent-systems", "material", D("10")),
    ]
    assert sum(D(item["max_points"]) for item in body["items"]) == 100


def test_draft_then_submit(client, assignments):
    first = assignments[0]
    client.force_login(first.expert)
    response = put(client, sheet_url(first), {"revision": 0, "entries": {"leaders-team": {"points": 18.5}}})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], D(body["total"]), body["revision"]) == ("draft", D("18.5"), 1)
    response = post(
        client,
        sheet_url(first, "/submit"),
        {"revision": 1, "overall_opinion": "同意推荐。", "entries": entries(first, material=62, defence=26)},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], D(body["total"]), body["editable"]) == ("submitted", D("88"), False)
    assert AuditEntry.objects.filter(event="scoring:submit").count() == 1


def test_refused_points_answer_400_per_item(client, assignments):
    first = assignments[0]
    client.force_login(first.expert)
    response = put(
        client,
        sheet_url(first),
        {
            "revision": 0,
            "entries": {
                "leaders-team": {"points": "21"},
                "presentation": {"points": -1},
                "cooperation": {"points": "7.3"},
            },
        },
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "leaders-team": ["「领办人及团队」的得分不能超过20分。"],
        "presentation": ["「陈述与答辩」的得分不能低于0分。"],
        "cooperation": ["「与高校、科研院所合作及技术攻关能力」的得分须为0.5分的整数倍。"],
    }
    assert not ScoreSheet.objects.filter(assignment=first).exists()
    response = post(client, sheet_url(first, "/submit"), {"revision": 0, "overall_opinion": "同意", "entries": {}})
    assert response.status_code == 400
    assert len(response.json()["errors"]) == 8  # every item is still to score


def test_a_submitted_sheet_cannot_be_changed_through_the_api(client, assignments):
    first = assignments[0]
    sheet = submit(first, material=62, defence=26)
    client.force_login(first.expert)
    for response in (
        put(client, sheet_url(first), {"revision": sheet.revision, "entries": {"leaders-team": {"points": 1}}}),
        post(client, sheet_url(first, "/submit"), {"revision": sheet.revision, "entries": {}}),
    ):
        assert response.status_code == 409
        assert "评分表已提交，不能再修改" in response.json()["detail"]
    assert ScoreSheet.objects.get(pk=sheet.pk).total == D("88.00")


def test_a_stale_revision_answers_409(client, assignments):
    first = assignments[0]
    client.force_login(first.expert)
    put(client, sheet_url(first), {"revision": 0, "entries": {"leaders-team": {"points": 10}}})
    response = put(client, sheet_url(first), {"revision": 0, "entries": {"leaders-team": {"points": 12}}})
    assert response.status_code == 409
    assert "已在其他窗口保存过" in response.json()["detail"]


def test_another_experts_sheet_answers_404(client, assignments, outsiders):
    first = assignments[0]
    submit(assignments[1], material=50, defence=20)
    for user in (assignments[1].expert, outsiders["other_expert"]):
        client.force_login(user)
        assert client.get(sheet_url(first)).status_code == 404
        assert put(client, sheet_url(first), {"revision": 0, "entries": {}}).status_code == 404
        response = post(client, sheet_url(first, "/submit"), {"revision": 0, "entries": {}})
        assert response.status_code == 404
        assert response.json() == {"detail": "未找到该对象，或您无权访问。"}


@pytest.mark.parametrize("who", ["applicant", "city_reviewer", "system_admin"])
def test_other_roles_are_refused(client, assignments, outsiders, who):
    client.force_login(outsiders[who])
    assert client.get(f"{BASE}/assignments").status_code == 403
    assert client.get(sheet_url(assignments[0])).status_code == 404


def test_anonymous_requests_are_unauthorised(client, assignments):
    assert client.get(f"{BASE}/assignments").status_code == 401
    assert put(client, sheet_url(assignments[0]), {"revision": 0, "entries": {}}).status_code == 401


def test_unsafe_requests_need_the_csrf_token(assignments):
    first = assignments[0]
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(first.expert)
    response = put(browser, sheet_url(first), {"revision": 0, "entries": {"leaders-team": {"points": 10}}})
    assert response.status_code == 403
    assert not ScoreSheet.objects.filter(assignment=first).exists()
    browser.get("/scoring/")  # any page sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    response = browser.put(
        sheet_url(first),
        data=json.dumps({"revision": 0, "entries": {"leaders-team": {"points": 10}}}),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200


# The request's queries, exactly: the same with one row as with many, so a fixed extra query fails too.
ASSIGNMENTS_QUERIES = 4


def test_the_list_costs_the_same_for_one_or_many_assignments(client, panel, experts, make_waiting):
    expert = experts[0]
    assign(panel, make_waiting(name="晋城市接口查询一有限公司"), [expert])
    client.force_login(expert)
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(f"{BASE}/assignments").json()) == 1
    for n in range(3):
        (assignment,) = assign(panel, make_waiting(name=f"晋城市接口查询{n}号有限公司"), [expert])
        submit(assignment, material=50, defence=20)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(f"{BASE}/assignments").json()) == 4
    assert (len(one), len(many)) == (ASSIGNMENTS_QUERIES, ASSIGNMENTS_QUERIES)
