"""Issue 12 point 5: the platform is named by configuration (SHENBAO_SITE_NAME, SHENBAO_OPERATOR_NAME), never by
the host it is reached at — Django's auth views put the host into `site_name`, and the pages and the reset mail
must not show it."""

import re

import pytest
from django.core import mail
from django.test import Client

from shenbao.accounts.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HOST = "127.0.0.1:8213"
SITE = "示例技能人才申报平台"
OPERATOR = "示例市人力资源和社会保障局"


@pytest.fixture
def branded(settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    settings.SHENBAO_SITE_NAME = SITE
    settings.SHENBAO_OPERATOR_NAME = OPERATOR


@pytest.fixture
def web():
    return Client(enforce_csrf_checks=True, HTTP_HOST=HOST)


def _brand(html):
    return re.search(r'<a class="navbar-brand"[^>]*>(.*?)</a>', html, re.S).group(1)


def _title(html):
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/login/",
        "/accounts/password/reset/",
        "/accounts/password/reset/done/",
        "/accounts/reset/complete/",
        "/accounts/reset/0123456789abcdef0123456789abcdef/bad-token/",
        "/",
    ],
)
def test_no_auth_page_is_branded_with_the_host(branded, web, path):
    response = web.get(path)

    html = response.content.decode()
    assert response.status_code == 200
    assert HOST not in html and "127.0.0.1" not in html
    assert _brand(html).strip() == SITE
    assert _title(html).endswith(f" · {SITE}")
    assert OPERATOR in html  # the footer names the operating bureau


def test_login_page_names_the_platform_and_its_operator(branded, web):
    html = web.get("/accounts/login/").content.decode()

    assert _title(html) == f"登录 · {SITE}"
    assert f"{SITE} · {OPERATOR}" in html


def test_signed_in_password_change_pages_are_not_branded_with_the_host(branded, web, password):
    user = UserFactory(username="wang", roles=[Role.APPLICANT])
    web.force_login(user)

    for path in ("/accounts/password/change/", "/accounts/password/change/done/"):
        html = web.get(path).content.decode()
        assert HOST not in html, path
        assert _brand(html).strip() == SITE, path


def test_reset_mail_is_signed_by_the_platform_not_the_host(branded, web, django_capture_on_commit_callbacks):
    UserFactory(username="wang", email="wang@example.cn", full_name="王经办", roles=[Role.APPLICANT])
    form = web.get("/accounts/password/reset/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)

    with django_capture_on_commit_callbacks(execute=True):
        response = web.post(
            "/accounts/password/reset/", {"email": "wang@example.cn", "csrfmiddlewaretoken": token.group(1)}
        )

    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.subject == f"{SITE}：重置密码"
    assert HOST not in message.subject
    assert f"重置{SITE}账号「wang」密码" in message.body
    assert message.body.rstrip().endswith(f"{SITE}\n{OPERATOR}")
    # The link is on the configured public address, not on the host the request came to.
    assert "8213" not in message.body


def test_without_an_operator_nothing_is_shown_in_its_place(settings, web):
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    settings.SHENBAO_OPERATOR_NAME = ""

    html = web.get("/accounts/login/").content.decode()

    assert "运营单位" not in html
    assert _brand(html).strip() == "申报评审平台"
