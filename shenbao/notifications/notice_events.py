"""Message templates of every notification outside the application workflow: the events (declared here as data,
since notifications sits below the apps that send them and must not import their machines), their placeholders,
and the texts of one notification rendered from a city's template.

Each event string is what its app passes to `services.create_notifications`; tests/notifications/
test_notice_templates.py checks the list against those apps' machines. Left out on purpose: the 系统管理员's
`admin_role:*` notices (admin role requests and break-glass access are platform-wide security events of the system
administrators, whom no city's 技能办 may re-word) and the scheduled 提醒 (`reminder:*`, written by `reminders.py`
with their own texts, not through `create_notifications`).

The defaults are the sending app's texts, offered as {标题} and {正文}; with no template a notification reads
exactly as before. In the e-mail, {标题} and {正文} are the inbox texts as rendered (as for the workflow events).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .placeholders import render_text
from .templating import FIELDS, RenderedMessage

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from shenbao.applications.models import Application

    from .models import MessageTemplate

BASE = ("标题", "正文", "链接", "平台名称")
OF_APPLICATION = ("申报编号", "单位名称", "项目类别", "申报通知")


@dataclass(frozen=True)
class NoticeEvent:
    event: str  # as Notification.event
    label: Promise
    group: Promise  # the sending app's name, the editor's heading
    with_application: bool  # the notification names an application (its four placeholders are offered)

    @property
    def slug(self) -> str:
        # URL-safe and never a workflow step's name (those have no hyphen).
        return self.event.replace(":", "-").replace("_", "-")

    @property
    def placeholders(self) -> tuple[str, ...]:
        return BASE + (OF_APPLICATION if self.with_application else ())

    def allowed(self, field: str) -> tuple[str, ...]:
        return self.placeholders + (("收件人",) if field in ("email_subject", "email_body") else ())

    def defaults(self) -> dict[str, str]:
        return notice_defaults()

    def samples(self) -> dict[str, str]:
        return sample_notice_values(event=self)


_CALLS, _EXPERTS, _SCORING = gettext_lazy("申报通知"), gettext_lazy("专家评审"), gettext_lazy("专家评分")
_EXPORTS, _NEWS, _ACCEPTANCE = gettext_lazy("数据导出"), gettext_lazy("通知公告"), gettext_lazy("评估验收")
_ROWS: tuple[tuple[str, Promise, Promise, bool], ...] = (
    ("call_changed", gettext_lazy("申报通知变更"), _CALLS, False),
    ("calls:extension_grant", gettext_lazy("批准延期提交"), _CALLS, False),
    ("calls:extension_revoke", gettext_lazy("撤销延期"), _CALLS, False),
    ("experts:assigned", gettext_lazy("分配评审任务"), _EXPERTS, False),
    ("experts:swapped", gettext_lazy("调出评审任务"), _EXPERTS, False),
    ("experts:recused", gettext_lazy("专家回避"), _EXPERTS, True),
    ("experts:defence_scheduled", gettext_lazy("答辩安排"), _EXPERTS, True),
    ("scoring:reopen", gettext_lazy("重新打开评分表"), _SCORING, True),
    ("scoring:remind", gettext_lazy("提醒提交评分表"), _SCORING, False),
    ("exports:finish", gettext_lazy("导出文件已生成"), _EXPORTS, False),
    ("exports:fail", gettext_lazy("导出失败"), _EXPORTS, False),
    ("announcement:submit", gettext_lazy("通知公告送审"), _NEWS, False),
    ("announcement:return", gettext_lazy("通知公告退回修改"), _NEWS, False),
    ("announcement:publish", gettext_lazy("通知公告审核通过并发布"), _NEWS, False),
    ("announcement:withdraw", gettext_lazy("通知公告撤回"), _NEWS, False),
    ("acceptance:submit_report", gettext_lazy("建设进展报告提交"), _ACCEPTANCE, True),
    ("acceptance:review_report", gettext_lazy("建设进展报告审核"), _ACCEPTANCE, True),
    ("acceptance:submit_evaluation", gettext_lazy("评估验收申请"), _ACCEPTANCE, True),
    ("acceptance:assign_expert", gettext_lazy("指派验收专家"), _ACCEPTANCE, True),
    ("acceptance:reviews_complete", gettext_lazy("验收评分全部提交"), _ACCEPTANCE, True),
    ("acceptance:decide", gettext_lazy("评估验收结论"), _ACCEPTANCE, True),
    ("acceptance:submit_rectification", gettext_lazy("整改报告提交"), _ACCEPTANCE, True),
)
NOTICE_EVENTS: dict[str, NoticeEvent] = {
    row[0]: NoticeEvent(event=row[0], label=row[1], group=row[2], with_application=row[3]) for row in _ROWS
}
NOTICE_SLUGS: dict[str, NoticeEvent] = {notice.slug: notice for notice in NOTICE_EVENTS.values()}


def notice_defaults() -> dict[str, str]:
    return {
        "title": "{标题}",
        "body": "{正文}",
        "email_subject": "【{平台名称}】{标题}",
        "email_body": _("{收件人}，您好：\n\n{正文}\n\n查看详情：{链接}\n\n此邮件由{平台名称}自动发送，请勿直接回复。"),
        "sms_text": "",
    }


def notice_values(*, title: str, body: str, link: str, application: Application | None) -> dict[str, str]:
    values = {"标题": title, "正文": body, "链接": link, "平台名称": str(settings.SHENBAO_SITE_NAME)}
    values.update(dict.fromkeys(OF_APPLICATION, ""))  # a sender without the application: empty, never an error
    if application is not None:
        values.update(
            {
                "申报编号": application.number,
                "单位名称": application.unit.name,
                "项目类别": application.project_type.name,
                "申报通知": application.call.title,
            }
        )
    return values


def render_notice(*, template: MessageTemplate, values: dict[str, str], recipient_name: str) -> RenderedMessage:
    """The texts of one notification from `template`; a blank field keeps the default (no SMS when blank)."""
    texts = {field: getattr(template, field, "") for field in FIELDS}
    title = render_text(text=texts["title"], values=values) if texts["title"] else values["标题"]
    body = render_text(text=texts["body"], values=values) if texts["body"] else values["正文"]
    mail_values = {**values, "标题": title, "正文": body, "收件人": recipient_name}
    subject, email_body = "", ""
    if texts["email_subject"] or texts["email_body"]:
        defaults = notice_defaults()
        subject = render_text(text=texts["email_subject"] or defaults["email_subject"], values=mail_values)
        email_body = render_text(text=texts["email_body"] or defaults["email_body"], values=mail_values)
    sms = render_text(text=texts["sms_text"], values=values) if texts["sms_text"] else ""
    return RenderedMessage(title=title[:200], body=body, email_subject=subject, email_body=email_body, sms_text=sms)


def sample_notice_values(*, event: NoticeEvent) -> dict[str, str]:
    """Made-up values for the editor's preview."""
    values = {
        "标题": _("示例消息标题：%(event)s") % {"event": event.label},
        "正文": _("这里是平台默认的消息内容。"),
        "链接": f"{settings.SHENBAO_PUBLIC_URL.rstrip('/')}/notifications/",
        "平台名称": str(settings.SHENBAO_SITE_NAME),
    }
    if event.with_application:
        values.update(
            {
                "申报编号": _("示例-01-0001"),
                "单位名称": _("示例科技有限公司"),
                "项目类别": _("技能大师工作室"),
                "申报通知": _("关于开展技能人才培育项目申报工作的通知"),
            }
        )
    return values
