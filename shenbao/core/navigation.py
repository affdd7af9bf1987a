"""Which menu entries each role sees. The menu only mirrors permissions; views enforce them."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shenbao.accounts.roles import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset  # empty: every signed-in user

    @property
    def url(self):
        return reverse(self.url_name)


NAV_ITEMS = [
    NavItem(_("工作台"), "core:dashboard", frozenset()),
    NavItem(_("申报通知"), "calls:list", frozenset()),
    NavItem(
        _("单位管理"),
        "organisations:list",
        frozenset({Role.APPLICANT, Role.COUNTY_REVIEWER, Role.DEPARTMENT_REVIEWER, Role.CITY_REVIEWER,
                   Role.CALL_ADMIN, Role.SYSTEM_ADMIN}),
    ),
    NavItem(_("用户管理"), "accounts:user_list", frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN})),
    NavItem(_("审计日志"), "audit:list", frozenset({Role.AUDIT_ADMIN})),
]


def navigation_for(user):
    if not user.is_authenticated:
        return [NavItem(_("申报通知"), "calls:list", frozenset())]
    return [item for item in NAV_ITEMS if not item.roles or user.has_role(*item.roles)]
