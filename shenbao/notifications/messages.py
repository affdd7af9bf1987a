"""The Chinese wording of notifications: a workflow step's sentence (its `phrase` and `asks` in the workflow
table, `applications.workflow.TRANSITIONS`), and the reminder texts.

Stored as written (like a letter), so the inbox and the e-mail read the same whatever the reader's language.
"""

from shenbao.core.days import format_day


def describe_application(application):
    return f"申报 {application.number}（{application.unit.name}）"


def transition_title(*, step, application):
    return f"{step.label}：{application.number}"


def transition_body(*, step, application, comment="", show_comment=True):
    """ "申报 2022-01-0001（某公司）已被退回修改：<理由>。补正截止：2022年12月20日。"."""
    phrase = step.phrase or f"已执行「{step.label}」"
    text = f"{describe_application(application)}{phrase}"
    text += f"：{comment}" if comment and show_comment else ""
    text = text.rstrip("。") + "。"
    if "resubmission_due" in step.payload and application.resubmission_due:
        text += f"补正截止：{format_day(application.resubmission_due)}。"
    return text


def _days_phrase(days_left):
    if days_left > 1:
        return f"将于{days_left}天后到期"
    if days_left == 1:
        return "将于明天到期"
    if days_left == 0:
        return "今天到期"
    return f"已逾期{-days_left}天"


REMINDER_TITLES = {
    "first_review": "资格初审到期提醒",
    "resubmission": "补正材料到期提醒",
    "opinion": "征求意见到期提醒",
}


def reminder_body(*, kind, application, due_date, days_left):
    who = describe_application(application)
    when = f"{_days_phrase(days_left)}（截止日期：{format_day(due_date)}）"
    if kind == "first_review":
        return f"{who}尚待资格初审，资格初审{when}。请及时办理。"
    if kind == "resubmission":
        return f"{who}的补正材料{when}。请在截止日期前修改并重新提交，逾期将不能再提交。"
    return f"{who}的征求意见{when}。请及时反馈无异议或有异议的意见。"


def action_request(*, step, audience):
    """What `audience` is asked to do after `step` (the workflow's `asks`), appended to the step's sentence. The
    link of the notification (notifications.actions) opens the page where it is done."""
    return dict(step.asks).get(audience, "")
