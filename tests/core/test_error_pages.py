"""Error pages are Chinese, self-contained, and never echo the exception or other internals."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.cache import SessionStore
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404
from django.template.loader import render_to_string
from django.views import defaults

SECRET = "SELECT secret_internal_detail FROM shenbao"

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_(rf):
    request = rf.get("/some/where/")
    request.user = AnonymousUser()
    request.session = SessionStore()
    return request


def test_unknown_url_answers_the_chinese_404_page(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    content = response.content.decode()
    assert "页面不存在" in content
    assert "申报评审平台" in content


def test_404_does_not_echo_the_exception(request_):
    response = defaults.page_not_found(request_, Http404(SECRET))

    assert response.status_code == 404
    assert SECRET not in response.content.decode()


def test_403_page(request_):
    response = defaults.permission_denied(request_, PermissionDenied(SECRET))

    content = response.content.decode()
    assert response.status_code == 403
    assert "无权访问" in content
    assert SECRET not in content


def test_400_page(request_):
    response = defaults.bad_request(request_, BadRequest(SECRET))

    content = response.content.decode()
    assert response.status_code == 400
    assert "请求有误" in content
    assert SECRET not in content


def test_500_page_renders_without_a_request():
    content = render_to_string("500.html")

    assert "服务器内部错误" in content
    assert "<html lang=" in content


def test_500_view(request_):
    response = defaults.server_error(request_)

    assert response.status_code == 500
    assert "服务器内部错误" in response.content.decode()
