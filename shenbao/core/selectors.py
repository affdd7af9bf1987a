"""The work overview (工作台): what a signed-in user can reach, with real figures where a scoped selector exists."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shenbao.accounts.admin_roles import count_waiting_for
from shenbao.accounts.roles import Role
from shenbao.accounts.rules import get_city_of_user
from shenbao.accounts.selectors import list_users
from shenbao.calls.selectors import list_open_calls, list_open_calls_of_city
from shenbao.notifications.selectors import count_given_up_emails
from shenbao.organisations.selectors import list_visible_organisations

from .navigation import DASHBOARD, navigation_for
from .todos import Todo, list_todos

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from shenbao.accounts.models import User
    from shenbao.organisations.models import Organisation


@dataclass(frozen=True)
class DashboardCard:
    label: StrOrPromise
    description: StrOrPromise
    url: str
    figure: int | None = None
    figure_label: StrOrPromise = ""


@dataclass(frozen=True)
class Dashboard:
    cards: list[DashboardCard]
    organisation: Organisation | None
    role_labels: list[StrOrPromise]
    todos: list[Todo]  # only those with something waiting


def _figure_for(url_name: str, *, user: User, now: dt.datetime) -> tuple[int | None, StrOrPromise]:
    """A count for the card, computed from the same scoped selector the list page uses."""
    if url_name == "calls:list":
        # Staff and units count their own city's calls; the platform's and the province's people see every city.
        city = get_city_of_user(user)
        calls = list_open_calls(at=now) if city is None else list_open_calls_of_city(city=city, at=now)
        return calls.count(), _("正在受理的申报通知")
    if url_name == "organisations:list":
        return list_visible_organisations(user=user).count(), _("职责范围内的单位")
    if url_name == "accounts:admin_roles":
        return count_waiting_for(user=user), _("待您确认的管理员角色变更")
    if url_name == "notifications:outbox":
        return count_given_up_emails(), _("发送失败、已停止重试的邮件")
    if url_name == "accounts:user_list":
        # Only the system and security administrators get this card, and they manage every account.
        return list_users(user=user).count(), _("平台用户")
    return None, ""


def build_dashboard(*, user: User) -> Dashboard:
    """The menu entries of the user's roles as cards; the dashboard itself is left out."""
    now = timezone.now()
    cards: list[DashboardCard] = []
    for item in navigation_for(user):
        if item is DASHBOARD:
            continue
        figure, figure_label = _figure_for(item.url_name, user=user, now=now)
        cards.append(DashboardCard(item.label, item.description, item.url, figure, figure_label))
    return Dashboard(
        cards=cards,
        organisation=user.organisation,
        role_labels=[role.label for role in Role if role in user.roles],
        todos=list_todos(user=user, today=timezone.localdate(now)),
    )
