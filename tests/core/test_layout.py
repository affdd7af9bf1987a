"""The base layout: navigation per role, user menu, language switch, accessibility landmarks."""

import re

import pytest
from django.contrib import messages
from django.contrib.messages.storage import default_storage
from django.contrib.sessions.backends.cache import SessionStore
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse, set_script_prefix
from django.utils import translation

from shenbao.accounts.roles import Role
from shenbao.core.navigation import group_links, navigation_for, resolve_links
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_layout_has_login_link_and_landmarks(client):
    content = client.get(reverse("core:home")).content.decode()

    assert f'href="{reverse("accounts:login")}"' in content
    assert 'class="skip-link" href="#main"' in content
    assert '<main id="main"' in content and "<header" in content and "<footer" in content
    # One deployment serves several cities: the platform's own pages name none (a city's portal names its own).
    assert "晋城市" not in content
    assert f'action="{reverse("set_language")}"' in content and 'value="en"' in content
    # Anonymous visitors get only the public menu.
    assert reverse("core:dashboard") not in content
    assert reverse("accounts:logout") not in content


def test_signed_in_layout_has_user_menu_and_post_logout(client, applicant):
    client.force_login(applicant)

    content = client.get(reverse("core:home")).content.decode()

    assert "王经办" in content and applicant.organisation.name in content and "申报单位经办人" in content
    assert f'<form action="{reverse("accounts:logout")}" method="post"' in content
    assert f'href="{reverse("accounts:profile")}"' in content
    assert f'href="{reverse("accounts:password_change")}"' in content
    assert f'href="{reverse("accounts:login")}"' not in content


def test_current_menu_entry_is_marked(client, applicant):
    client.force_login(applicant)

    content = client.get(reverse("core:dashboard")).content.decode()

    assert f'href="{reverse("core:dashboard")}" aria-current="page"' in content
    assert f'href="{reverse("calls:list")}" aria-current="page"' not in content


def test_longest_matching_menu_entry_is_current():
    user = UserFactory(roles=[Role.APPLICANT])
    links = resolve_links(navigation_for(user), path=reverse("calls:list") + "jincheng-2022/")

    assert [str(link.label) for link in links if link.current] == ["申报通知"]


def test_menu_urls_follow_the_script_prefix_the_site_is_served_under():
    """The entries' URLs are kept per process (`core.navigation._reverse`), per script prefix: a site served under
    /shenbao/ behind a proxy links its menu there, and the same process serving at / links it at / again."""
    user = UserFactory(roles=[Role.APPLICANT])
    before = get_script_prefix()
    try:
        set_script_prefix("/shenbao/")
        prefixed = {str(link.label): link.url for link in resolve_links(navigation_for(user), path="/shenbao/")}
    finally:
        set_script_prefix(before)
    plain = {str(link.label): link.url for link in resolve_links(navigation_for(user), path="/")}

    assert prefixed["申报通知"] == "/shenbao" + reverse("calls:list")
    assert plain["申报通知"] == reverse("calls:list")


def test_a_section_seen_in_more_than_one_entry_is_one_drop_down_in_english_too():
    """The drop-downs group entries by their section's name in the language of the page."""
    user = UserFactory(roles=[Role.CALL_ADMIN])
    with translation.override("zh-hans"):
        chinese = [
            (str(group.label), len(group.links)) for group in group_links(resolve_links(navigation_for(user), path="/"))
        ]
    with translation.override("en"):
        english = [
            (str(group.label), len(group.links)) for group in group_links(resolve_links(navigation_for(user), path="/"))
        ]

    assert [count for _, count in chinese] == [count for _, count in english]
    assert any(count > 1 for _, count in chinese)
    assert {label for label, count in chinese if count > 1}.isdisjoint({label for label, count in english if count > 1})


@pytest.mark.parametrize(
    ("role", "visible", "hidden"),
    [
        (Role.APPLICANT, {"工作台", "申报通知", "单位管理"}, {"用户管理", "审计日志"}),
        (Role.EXPERT, {"工作台", "申报通知"}, {"单位管理", "用户管理", "审计日志"}),
        (Role.SECURITY_ADMIN, {"工作台", "用户管理"}, {"单位管理", "审计日志"}),
        (Role.AUDIT_ADMIN, {"工作台", "审计日志", "我的导出"}, {"单位管理", "用户管理"}),
    ],
)
def test_menu_differs_per_role(role, visible, hidden):
    labels = {str(item.label) for item in navigation_for(UserFactory(roles=[role]))}

    assert visible <= labels
    assert not hidden & labels


def test_inactive_user_gets_no_role_menu():
    user = UserFactory(roles=[Role.AUDIT_ADMIN], is_active=False)

    assert "审计日志" not in {str(item.label) for item in navigation_for(user)}


def test_messages_render_as_alerts(rf, applicant):
    request = rf.get("/")
    request.user = applicant
    request.session = SessionStore()
    request._messages = default_storage(request)
    messages.error(request, "测试错误消息")
    messages.success(request, "测试成功消息")

    content = render_to_string("403.html", request=request)

    assert re.search(r'class="alert alert-danger[^"]*"\s+role="alert"', content)
    assert re.search(r'class="alert alert-success[^"]*"\s+role="status"', content)
    assert "测试错误消息" in content and "测试成功消息" in content
