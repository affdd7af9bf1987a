"""Which menu entries each role sees. The menu only mirrors permissions; views enforce them.

The dashboard (工作台) shows the same entries as cards, so a role's menu and its work overview never disagree.
"""

import functools
from dataclasses import dataclass

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

from shenbao.accounts.roles import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset  # empty: every signed-in user
    description: str = ""
    section: str = ""  # entries of one section share a drop-down menu when a role sees more than one of them

    @property
    def url(self):
        return _reverse(self.url_name, get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)


# A menu's thirty-odd URLs never change while the process runs, but reversing them cost about 1.3 ms of every
# signed-in page; kept per script prefix and URLconf (a site behind a proxy under /shenbao/, a test's own URLconf).
@functools.lru_cache(maxsize=1024)
def _reverse(url_name: str, script_prefix: str, urlconf: object, root_urlconf: str) -> str:
    return reverse(url_name, urlconf=urlconf)


@dataclass(frozen=True)
class NavLink:
    """A menu entry resolved for one request."""

    label: str
    url_name: str
    url: str
    current: bool
    description: str = ""
    section: str = ""


@dataclass(frozen=True)
class NavGroup:
    """One place in the menu bar: a single link (`label` empty) or a drop-down of a section's links."""

    label: str
    links: tuple

    @property
    def current(self):
        return any(link.current for link in self.links)


# Sections of the menu bar, named after the notice's stages so a role with many duties finds them in order.
EXPERT_REVIEW = _("专家评审")
DESIGNATION = _("评定授牌")
FUNDING_AND_ACCEPTANCE = _("经费与验收")
SECURITY = _("安全管理")
MESSAGES = _("消息")


DASHBOARD = NavItem(_("工作台"), "core:dashboard", frozenset(), _("本人的工作概览。"))
CALLS = NavItem(_("申报通知"), "calls:list", frozenset(), _("历年申报通知、项目类别、申报条件与截止时间。"))

NAV_ITEMS = [
    DASHBOARD,
    CALLS,
    NavItem(
        _("通知编辑"),
        "calls:editor_list",
        frozenset({Role.CALL_ADMIN}),
        _("复制往年申报通知为新一年的草稿，修改截止时间、名额、材料和评分细则，预览后发布。"),
    ),
    NavItem(
        _("申报管理"),
        "applications:list",
        frozenset(
            {Role.APPLICANT, Role.COUNTY_REVIEWER, Role.DEPARTMENT_REVIEWER, Role.CITY_REVIEWER, Role.CALL_ADMIN}
        ),
        _("本单位的申报，或职责范围内已提交的申报。"),
    ),
    NavItem(
        _("资格审核"),
        "review:first_review_queue",
        frozenset({Role.COUNTY_REVIEWER, Role.DEPARTMENT_REVIEWER}),
        _("资格初审：核查申报条件，通过、退回修改或不予通过。"),
    ),
    NavItem(
        _("资格审核"),
        "review:recheck_queue",
        frozenset({Role.CITY_REVIEWER}),
        _("资格复核：初审通过的申报，由市委组织部、市人社局分别复核。"),
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
        _("专家库"),
        "experts:pool",
        frozenset({Role.CALL_ADMIN}),
        _("评审专家信息、登录账号，Excel导入导出。"),
        section=EXPERT_REVIEW,
    ),
    NavItem(
        _("专家评审"),
        "experts:panels",
        frozenset({Role.CALL_ADMIN}),
        _("按项目类别组建专家组，自动分配评审专家，安排答辩。"),
        section=EXPERT_REVIEW,
    ),
    NavItem(
        _("评审任务"),
        "scoring:my_assignments",
        frozenset({Role.EXPERT}),
        _("分配给本人评审的申报：查阅材料，逐项评分并提交评分表，或申请回避。"),
    ),
    NavItem(
        _("答辩安排"), "experts:my_defence", frozenset({Role.APPLICANT}), _("本单位申报的专家评审答辩时间和地点。")
    ),
    NavItem(
        _("评审进度"),
        "scoring:panels",
        frozenset({Role.CALL_ADMIN}),
        _("各专家组评分表提交情况，提醒未提交的专家。"),
        section=EXPERT_REVIEW,
    ),
    NavItem(
        _("评审排名"),
        "scoring:ranking",
        frozenset({Role.CALL_ADMIN}),
        _("按项目类别汇总专家评分、排名，在名额内确定拟授牌名单并导出。"),
        section=EXPERT_REVIEW,
    ),
    NavItem(
        _("拟授牌名单"),
        "opinions:proposals",
        frozenset({Role.CALL_ADMIN}),
        _("专家评审后在名额内确定拟授牌单位，跟踪征求意见。"),
        section=DESIGNATION,
    ),
    NavItem(
        _("征求意见"),
        "opinions:inbox",
        # The county bureau or competent department that did the first review answers as 上级主管单位.
        frozenset({Role.CONSULTED_DEPARTMENT, Role.COUNTY_REVIEWER, Role.DEPARTMENT_REVIEWER}),
        _("对拟授牌单位反馈无异议或有异议。"),
    ),
    NavItem(
        _("公示"),
        "notices:list",
        frozenset({Role.CALL_ADMIN}),
        _("发布拟授牌单位公示，调查处理公示异议。"),
        section=DESIGNATION,
    ),
    NavItem(
        _("通知公告管理"),
        "announcements:list",
        frozenset({Role.CALL_ADMIN}),
        _("起草通知公告，经本市另一名申报管理员审核后发布到门户。"),
        section=DESIGNATION,
    ),
    NavItem(
        _("授牌"),
        "awards:award",
        frozenset({Role.CALL_ADMIN}),
        _("公示期满后发文命名，生成牌匾证书。"),
        section=DESIGNATION,
    ),
    NavItem(
        _("经费台账"),
        "funding:ledger",
        frozenset({Role.CALL_ADMIN, Role.APPLICANT}),
        _("授牌单位的建设扶持经费：应拨付、已拨付和拨付记录。"),
        section=FUNDING_AND_ACCEPTANCE,
    ),
    NavItem(
        _("预算执行"),
        "funding:budget",
        frozenset({Role.CALL_ADMIN}),
        _("年度预算，按年度、项目类别和县区统计承诺与拨付。"),
        section=FUNDING_AND_ACCEPTANCE,
    ),
    NavItem(
        _("建设与验收"),
        "acceptance:home",
        frozenset({Role.APPLICANT, Role.CALL_ADMIN}),
        _("建设期年度进展报告及其审核，评估验收申请、专家评分、验收结论和整改。"),
        section=FUNDING_AND_ACCEPTANCE,
    ),
    NavItem(
        _("验收评分"),
        "acceptance:expert_reviews",
        frozenset({Role.EXPERT}),
        _("指派给本人的评估验收评分表。"),
    ),
    NavItem(
        _("工作日历"),
        "notices:calendar",
        frozenset({Role.CALL_ADMIN, Role.SYSTEM_ADMIN}),
        _("法定节假日和调休安排，公示期按此计算。"),
        section=DESIGNATION,
    ),
    NavItem(
        _("统计分析"),
        "core:city_statistics",
        frozenset({Role.CALL_ADMIN, Role.CITY_REVIEWER}),
        _("本市历年和各申报通知的申报、评审、授牌、经费和验收统计，申报评审情况汇总和上报表格。"),
    ),
    NavItem(
        _("全省统计"),
        "core:province_statistics",
        frozenset({Role.PROVINCE_OBSERVER}),
        _("各市各年度申报进度、授牌单位和建设扶持经费（只读）。"),
    ),
    NavItem(
        _("管理员角色"),
        "accounts:admin_roles",
        frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN}),
        _("三权分立：管理员角色的授予和撤销，一人申请、另一人确认。"),
    ),
    NavItem(
        _("发件队列"),
        "notifications:outbox",
        frozenset({Role.SYSTEM_ADMIN}),
        _("平台发出的邮件：待发送、重试中和已停止重试的邮件，必要时重新发送。"),
    ),
    NavItem(
        _("接口服务账号"),
        "apiaccess:list",
        frozenset({Role.SYSTEM_ADMIN}),
        _("其他系统调用接口的服务账号：创建（密钥只显示一次）、有效期和吊销。"),
    ),
    NavItem(
        _("短信发送队列"),
        "notifications:sms_outbox",
        frozenset({Role.SYSTEM_ADMIN}),
        _("平台发出的短信：待发送、重试中和已停止重试的短信。"),
    ),
    NavItem(
        _("群发消息"),
        "notifications:bulk_messages",
        frozenset({Role.CALL_ADMIN, Role.CITY_REVIEWER}),
        _("向筛选出的申报单位群发站内消息、邮件和短信；发送记录。"),
        section=MESSAGES,
    ),
    NavItem(
        _("消息模板"),
        "notifications:message_templates",
        frozenset({Role.CALL_ADMIN}),
        _("各办理环节通知的站内消息、邮件和短信文字。"),
        section=MESSAGES,
    ),
    NavItem(_("审计日志"), "audit:list", frozenset({Role.AUDIT_ADMIN}), _("查阅和筛选操作审计记录。")),
    NavItem(
        _("我的导出"),
        "exports:list",
        frozenset({Role.AUDIT_ADMIN}),
        _("后台生成的导出文件：进度、行数核对和下载。"),
    ),
    NavItem(
        _("安全策略"),
        "security:policy",
        frozenset({Role.SECURITY_ADMIN}),
        _("当前生效的口令、锁定、会话和双因素认证策略。"),
        section=SECURITY,
    ),
    NavItem(
        _("登录锁定"),
        "security:lockouts",
        frozenset({Role.SECURITY_ADMIN}),
        _("连续登录失败被锁定的用户名，提前解除锁定。"),
        section=SECURITY,
    ),
    NavItem(
        _("在线会话"),
        "security:sessions",
        frozenset({Role.SECURITY_ADMIN}),
        _("当前登录的会话，必要时终止。"),
        section=SECURITY,
    ),
    NavItem(
        _("动态口令"),
        "security:second_factor_users",
        frozenset({Role.SECURITY_ADMIN}),
        _("用户的动态口令绑定状态，手机丢失时重置。"),
        section=SECURITY,
    ),
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
        NavLink(item.label, item.url_name, url, url == current, item.description, item.section)
        for item, url in zip(items, urls, strict=True)
    ]


def group_links(links):
    """The menu bar: a section the user sees more than one entry of becomes one drop-down, at its first entry."""
    # Each section's name translated once: hashing the lazy name translates it every time.
    sections = [str(link.section) if link.section else "" for link in links]
    counts: dict[str, int] = {}
    for section in sections:
        counts[section] = counts.get(section, 0) + 1
    groups, opened = [], {}
    for link, section in zip(links, sections, strict=True):
        if not section or counts[section] == 1:
            groups.append(NavGroup("", (link,)))
        elif section in opened:
            opened[section].append(link)
        else:
            opened[section] = [link]
            groups.append(NavGroup(link.section, opened[section]))
    return [NavGroup(group.label, tuple(group.links)) for group in groups]
