"""A NUL character anywhere in a request is a 400 with a Chinese message, never a 500 (issue 11, point 7).

PostgreSQL refuses NUL in text; one middleware refuses it in the path, the query, form fields and JSON bodies,
with the API's JSON error shape under /api/.
"""

import json

import pytest

from shenbao.accounts.models import User
from tests.web import WebUser

pytestmark = pytest.mark.django_db
MESSAGE = "请求中含有不允许的空字符（NUL），已拒绝。"


@pytest.fixture
def browser(reviewer, password):
    web = WebUser()
    web.log_in(reviewer.username, password)
    return web


@pytest.mark.parametrize("url", ["/scoring/ranking/?call=a%00b", "/opinions/progress/?call=a%00b", "/?q=%00"])
def test_a_nul_in_the_query_is_refused_with_400(browser, url):
    response = browser.get(url)
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()


def test_a_nul_in_a_posted_field_changes_nothing(applicant, password):
    web = WebUser()
    web.log_in(applicant.username, password)
    response = web.post("/accounts/profile/", {"full_name": "王\x00经办", "email": "", "phone": ""})
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()
    assert User.objects.get(pk=applicant.pk).full_name == "王经办"


@pytest.mark.parametrize("body", [{"revision": 0, "entries": {"a\u0000": 1}}, {"comment": "x\u0000y"}])
def test_a_nul_in_an_api_json_body_is_a_json_400(browser, body):
    token = browser.csrf_token("/dashboard/")
    response = browser.client.put(
        "/api/scoring/assignments/00000000-0000-0000-0000-000000000000/sheet",
        data=json.dumps(body),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"].startswith(MESSAGE)


def test_a_nul_in_the_path_is_refused(browser):
    assert browser.get("/calls/a%00b/").status_code == 400


def test_ordinary_requests_pass(browser):
    assert browser.get("/scoring/ranking/?call=nope").status_code in (200, 403, 404)
