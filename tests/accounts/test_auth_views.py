import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse

from shenbao.accounts.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Fresh#pass2023"


@pytest.fixture
def user(password):
    return UserFactory(username="wang", email="wang@example.cn", full_name="王经办", roles=[Role.APPLICANT])


def test_login_page_has_the_fields_the_browser_test_uses(client):
    response = client.get(reverse("accounts:login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("accounts:login") == "/accounts/login/"
    assert 'id="id_username"' in html and 'name="username"' in html
    assert 'id="id_password"' in html and 'name="password"' in html
    assert re.search(r'<button type="submit"[^>]*>登录</button>', html)


def test_login_with_right_password(client, user, password):
    response = client.post(reverse("accounts:login"), {"username": "wang", "password": password})
    assert response.status_code == 302
    assert response.url == reverse("core:dashboard")
    assert client.session[SESSION_KEY] == str(user.pk)


def test_login_with_wrong_password_shows_a_chinese_error(client, user):
    response = client.post(reverse("accounts:login"), {"username": "wang", "password": "wrong-password"})
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert "请输入一个正确的用户名和密码" in response.content.decode()


def test_logout_is_post_only(client, user):
    client.force_login(user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert SESSION_KEY not in client.session


def test_profile_shows_organisation_and_roles(client, user):
    client.force_login(user)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert user.organisation.name in html
    assert "申报单位经办人" in html


@pytest.mark.parametrize(
    "name", ["accounts:profile", "accounts:password_change", "accounts:user_list", "accounts:user_create"]
)
def test_anonymous_is_redirected_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login") + "?next=")


def test_password_change(client, user, password):
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.url == reverse("accounts:password_change_done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert user.password_changed_at is not None
    assert client.get(response.url).status_code == 200


def test_password_change_refuses_wrong_old_password(client, user):
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "not-it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "旧密码" in response.content.decode()


def test_password_reset_sends_a_chinese_mail_and_the_link_works(client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends after the commit
        response = client.post(reverse("accounts:password_reset"), {"email": "wang@example.cn"})
    assert response.url == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["wang@example.cn"]
    assert "重置密码" in message.subject
    assert "王经办，您好" in message.body
    assert "「wang」" in message.body
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)
    assert link.startswith(f"/accounts/reset/{user.public_id.hex}/")  # a public id, not the integer key

    response = client.get(link, follow=True)  # Django swaps the token for a session marker, then redirects
    assert response.context["validlink"]
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.url == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert user.password_changed_at is not None


def test_password_reset_for_unknown_mail_sends_nothing_but_looks_the_same(
    client, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.cn"})
    assert response.url == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_invalid_reset_link_says_so(client, user):
    response = client.get(reverse("accounts:password_reset_confirm", args=["MQ", "bad-token"]))
    assert not response.context["validlink"]
    assert "该链接无效" in response.content.decode()


def test_a_reset_link_with_the_integer_key_is_invalid(client, user):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    response = client.get(
        reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token}), follow=True
    )
    assert response.context["validlink"] is False
