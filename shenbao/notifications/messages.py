"""The Chinese wording of notifications: one sentence per workflow step, and the reminder texts.

Stored as written (like a letter), so the inbox and the e-mail read the same whatever the reader's language.
"""

from shenbao.applications.guards import format_day

# What happened to the application, completing "申报 2022-01-0001(某公司)…".
STEP_PHRASES = {
    "submit": "已提交，等待资格初审",
    "resubmit": "已修改后重新提交，等待资格初审",
    "withdraw": "已被申报单位撤回",
    "first_review_pass": "已通过资格初审，等待资格复核",
    "return_for_revision": "已被退回修改",
    "first_review_reject": "未通过资格初审",
    "recheck_pass": "已通过资格复核，等待专家评审",
    "recheck_return": "在资格复核中被退回修改",
    "recheck_reject": "未通过资格复核",
    "propose": "已列入拟授牌名单，正在征求意见",
    "not_select": "未列入拟授牌名单",
    "hold_for_opinion": "在征求意见中有部门提出异议，等待研究决定",
    "overrule_opinion": "的征求意见异议经研究不影响授牌，继续办理",
    "exclude_after_opinion": "因征求意见中的异议不予授牌",
    "publish_in_notice": "已进入公示",
    "uphold_objection": "的公示异议经调查成立，不予授牌",
    "award": "已授牌",
    "revoke": "因评估验收复评仍不合格，已被撤销命名",
}


def describe_application(application):
    return f"申报 {application.number}（{application.unit.name}）"


def transition_title(*, step, application):
    return f"{step.label}：{application.number}"


def transition_body(*, step, application, comment="", show_comment=True):
    """ "申报 2022-01-0001（某公司）已被退回修改：<理由>。补正截止：2022年12月20日。"."""
    phrase = STEP_PHRASES.get(step.name) or f"已执行「{step.label}」"
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


# What the recipient is asked to do, by (step, audience); appended to the step's sentence. The link of the
# notification (notifications.actions) opens the page where it is done.
ACTION_REQUESTS = {
    ("submit", "first_reviewer"): "请进行资格初审。",
    ("resubmit", "first_reviewer"): "请进行资格初审。",
    ("first_review_pass", "city_reviewers"): "请进行资格复核。",
    ("return_for_revision", "applicant"): "请按意见修改申报书，在补正截止日期前重新提交。",
    ("recheck_return", "applicant"): "请按意见修改申报书，在补正截止日期前重新提交。",
    ("recheck_pass", "call_admin"): "请组建专家组并分配评审专家。",
    ("propose", "consulted"): "请在反馈截止日期前对该单位反馈无异议或有异议的意见。",
    ("hold_for_opinion", "call_admin"): "请研究决定是否继续办理。",
}


def action_request(*, step, audience):
    return ACTION_REQUESTS.get((step.name, audience), "")
