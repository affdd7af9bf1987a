"""Message templates of the workflow notifications: which events, which placeholders each offers, the defaults,
and the texts of one notification rendered from a city's template (`MessageTemplate`) or the defaults.

The defaults are today's texts of `messages.py`, offered to a template as two computed placeholders ({通知正文},
{待办事项}); with no template, or a blank field, a notification reads exactly as before templates existed. An SMS
is sent only where a city wrote an SMS text (there was none before).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shenbao.applications.workflow import TRANSITIONS
from shenbao.core.days import format_day

from .placeholders import render_text

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from shenbao.applications.models import Application
    from shenbao.applications.workflow import Transition

    from .models import MessageTemplate

# Every placeholder with what it stands for (shown beside the editor).
PLACEHOLDERS: dict[str, Promise] = {
    "申报编号": gettext_lazy("申报编号"),
    "单位名称": gettext_lazy("申报单位名称"),
    "项目类别": gettext_lazy("项目类别名称"),
    "申报通知": gettext_lazy("申报通知标题"),
    "操作": gettext_lazy("所执行的操作"),
    "意见": gettext_lazy("办理意见（只含可以告知该收件人的意见）"),
    "链接": gettext_lazy("办理页面的完整链接"),
    "截止时间": gettext_lazy("补正截止日期"),
    "平台名称": gettext_lazy("平台名称"),
    "通知正文": gettext_lazy("平台默认的通知句子"),
    "待办事项": gettext_lazy("平台默认的“请您办理”句子"),
}
COMMON = ("申报编号", "单位名称", "项目类别", "申报通知", "操作", "意见", "链接", "平台名称", "通知正文", "待办事项")
EMAIL_EXTRA = ("标题", "正文", "收件人")  # the e-mail may quote the rendered inbox texts and greet its reader
PLACEHOLDERS.update(
    {"标题": gettext_lazy("站内消息标题"), "正文": gettext_lazy("站内消息内容"), "收件人": gettext_lazy("收件人姓名")}
)
FIELDS = ("title", "body", "email_subject", "email_body", "sms_text")


@dataclass(frozen=True)
class TemplateEvent:
    event: str  # "workflow:<step>", as Notification.event
    step: Transition

    @property
    def slug(self) -> str:
        return self.step.name

    @property
    def label(self) -> str:
        return str(self.step.label)

    @property
    def placeholders(self) -> tuple[str, ...]:
        # 截止时间 only where the step sets a resubmission date: elsewhere it would always be empty.
        return COMMON + (("截止时间",) if "resubmission_due" in self.step.payload else ())

    def allowed(self, field: str) -> tuple[str, ...]:
        return self.placeholders + (EMAIL_EXTRA if field in ("email_subject", "email_body") else ())

    def defaults(self) -> dict[str, str]:
        return default_texts()

    def samples(self) -> dict[str, str]:
        return sample_values(event=self)


# One per workflow step that tells anyone.
EVENTS: dict[str, TemplateEvent] = {
    step.name: TemplateEvent(event=f"workflow:{step.name}", step=step) for step in TRANSITIONS if step.notify
}


def default_texts() -> dict[str, str]:
    """The defaults as template text, shown in the editor's help and used by the preview."""
    return {
        "title": "{操作}：{申报编号}",
        "body": "{通知正文}{待办事项}",
        "email_subject": "【{平台名称}】{标题}",
        "email_body": _("{收件人}，您好：\n\n{正文}\n\n查看详情：{链接}\n\n此邮件由{平台名称}自动发送，请勿直接回复。"),
        "sms_text": "",
    }


@dataclass(frozen=True)
class RenderedMessage:
    title: str
    body: str
    email_subject: str  # "" → the default e-mail (notifications/email.txt)
    email_body: str
    sms_text: str  # "" → no SMS


def placeholder_values(
    *,
    application: Application,
    step: Transition,
    comment: str,
    sentence: str,
    asks: str,
    link: str,
) -> dict[str, str]:
    due = application.resubmission_due if "resubmission_due" in step.payload else None
    return {
        "申报编号": application.number,
        "单位名称": application.unit.name,
        "项目类别": application.project_type.name,
        "申报通知": application.call.title,
        "操作": str(step.label),
        "意见": comment,
        "链接": link,
        "截止时间": format_day(due) if due else "",
        "平台名称": str(settings.SHENBAO_SITE_NAME),
        "通知正文": sentence,
        "待办事项": asks,
    }


def render_message(
    *, template: MessageTemplate | None, values: dict[str, str], default_title: str, recipient_name: str
) -> RenderedMessage:
    """The texts of one notification: each field of `template` when written, else the default."""
    texts = {field: getattr(template, field, "") if template else "" for field in FIELDS}
    title = render_text(text=texts["title"], values=values) if texts["title"] else default_title
    body = render_text(text=texts["body"] or "{通知正文}{待办事项}", values=values)
    mail_values = {**values, "标题": title, "正文": body, "收件人": recipient_name}
    defaults = default_texts()
    subject, email_body = "", ""
    if texts["email_subject"] or texts["email_body"]:
        subject = render_text(text=texts["email_subject"] or defaults["email_subject"], values=mail_values)
        email_body = render_text(text=texts["email_body"] or defaults["email_body"], values=mail_values)
    sms = render_text(text=texts["sms_text"], values=values) if texts["sms_text"] else ""
    return RenderedMessage(title=title[:200], body=body, email_subject=subject, email_body=email_body, sms_text=sms)


def sample_values(*, event: TemplateEvent) -> dict[str, str]:
    """Made-up values for the preview (no real unit is shown while a text is being written)."""
    return {
        "申报编号": _("示例-01-0001"),
        "单位名称": _("示例科技有限公司"),
        "项目类别": _("技能大师工作室"),
        "申报通知": _("关于开展技能人才培育项目申报工作的通知"),
        "操作": event.label,
        "意见": _("请补充近三年的培训记录。"),
        "链接": f"{settings.SHENBAO_PUBLIC_URL.rstrip('/')}/applications/",
        "截止时间": _("示例截止日期"),
        "平台名称": str(settings.SHENBAO_SITE_NAME),
        "通知正文": _("申报 示例-01-0001（示例科技有限公司）已执行「%(step)s」。") % {"step": event.label},
        "待办事项": "",
    }
