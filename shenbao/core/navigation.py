"""Which menu entries each role sees. The menu only mirrors permissions; views enforce them.

The dashboard (工作台) shows the same entries as cards, so a role's menu and its work overview never disagree.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shenbao.accounts.roles import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset  # empty: every signed-in user
    description: str = ""

    @property
    def url(self):
        return reverse(self.url_name)


@dataclass(frozen=True)
class NavLink:
    """A menu entry resolved for one request."""

    label: str
    url_name: str
    url: str
    current: bool
    description: str = ""


DASHBOARD = NavItem(_("工作台"), "core:dashboard", frozenset(), _("本人的工作概览。"))
CALLS = NavItem(_("申报通知"), "calls:list", frozenset(), _("历年申报通知、项目类别、申报条件与截止时间。"))

NAV_ITEMS = [
    DASHBOARD,
    CALLS,
    NavItem(
        _("申报管理"),
        "applications:list",
        frozenset(
            {Role.APPLICANT, Role.COUNTY_REVIEWER, Role.DEPARTMENT_REVIEWER, Role.CITY_REVIEWER, Role.CALL_ADMIN}
        ),
        _("本单位的申报,或职责范围内已提交的申报。"),
    ),
    NavItem(
        _("资格审核"),
        "review:first_review_queue",
        frozenset({Role.COUNTY_REVIEWER, Role.DEPARTMENT_REVIEWER}),
        _("资格初审:核查申报条件,通过、退回修改或不予通过。"),
    ),
    NavItem(
        _("资格审核"),
        "review:recheck_queue",
        frozenset({Role.CITY_REVIEWER}),
        _("资格复核:初审通过的申报,由市委组织部、市人社局分别复核。"),
    ),
    NavItem(
        _("单位管理"),
        "organisations:list",
        frozenset(
            {
                Role.APPLICANT,
                Role.COUNTY_REVIEWER,
                Role.DEPARTMENT_REVIEWER,
                Role.CITY_REVIEWER,
                Role.CALL_ADMIN,
                Role.SYSTEM_ADMIN,
            }
        ),
        _("本人职责范围内的申报单位和政府部门。"),
    ),
    NavItem(_("本单位人员"), "accounts:invite", frozenset({Role.APPLICANT}), _("邀请本单位其他经办人员加入。")),
    NavItem(
        _("用户管理"),
        "accounts:user_list",
        frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN}),
        _("平台用户、所属单位和角色。"),
    ),
    NavItem(
        _("拟授牌名单"),
        "opinions:proposals",
        frozenset({Role.CALL_ADMIN}),
        _("专家评审后在名额内确定拟授牌单位,跟踪征求意见。"),
    ),
    NavItem(
        _("征求意见"),
        "opinions:inbox",
        frozenset({Role.CONSULTED_DEPARTMENT}),
        _("对拟授牌单位反馈无异议或有异议。"),
    ),
    NavItem(_("公示"), "notices:list", frozenset({Role.CALL_ADMIN}), _("发布拟授牌单位公示,调查处理公示异议。")),
    NavItem(_("授牌"), "awards:award", frozenset({Role.CALL_ADMIN}), _("公示期满后发文命名,生成牌匾证书。")),
    NavItem(
        _("工作日历"),
        "notices:calendar",
        frozenset({Role.CALL_ADMIN, Role.SYSTEM_ADMIN}),
        _("法定节假日和调休安排,公示期按此计算。"),
    ),
    NavItem(_("审计日志"), "audit:list", frozenset({Role.AUDIT_ADMIN}), _("查阅和筛选操作审计记录。")),
]


def navigation_for(user):
    if user is None or not user.is_authenticated:
        return [CALLS]
    return [item for item in NAV_ITEMS if not item.roles or user.has_role(*item.roles)]


def resolve_links(items, *, path):
    """Menu entries with their URLs; the entry whose URL is the longest prefix of `path` is the current one."""
    urls = [item.url for item in items]
    matching = [url for url in urls if path == url or (url != "/" and path.startswith(url))]
    current = max(matching, key=len) if matching else None
    return [
        NavLink(item.label, item.url_name, url, url == current, item.description)
        for item, url in zip(items, urls, strict=True)
    ]
