"""The wording of notifications: a workflow step's sentence (its `phrase` and `asks` in the workflow table,
`applications.workflow.TRANSITIONS`), and the reminder texts.

A notification is a letter: written once and stored as written, so the inbox and the e-mail read the same. It is
written in the platform's working language (`LANGUAGE_CODE`, Simplified Chinese), not in the language of the page
the actor happened to use: every text is gettext (the English catalogue covers it, for a deployment whose working
language is English), built inside `in_working_language()`.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from shenbao.core.days import format_day


@contextmanager
def in_working_language() -> Iterator[None]:
    """Build a notification's texts here: in the working language, whatever language the request activated."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def describe_application(application):
    return _("申报 %(number)s（%(unit)s）") % {"number": application.number, "unit": application.unit.name}


def transition_title(*, step, application):
    return _("%(step)s：%(number)s") % {"step": step.label, "number": application.number}


def transition_body(*, step, application, comment="", show_comment=True):
    """ "申报 2022-01-0001（某公司）已被退回修改：<理由>。补正截止：2022年12月20日。"."""
    phrase = str(step.phrase) if step.phrase else _("已执行「%(step)s」") % {"step": step.label}
    text = _("%(application)s%(phrase)s") % {"application": describe_application(application), "phrase": phrase}
    text += _("：%(comment)s") % {"comment": comment} if comment and show_comment else ""
    text = text.rstrip("。.") + _("。")
    if "resubmission_due" in step.payload and application.resubmission_due:
        text += _("补正截止：%(day)s。") % {"day": format_day(application.resubmission_due)}
    return text


def _days_phrase(days_left):
    if days_left > 1:
        return _("将于%(days)s天后到期") % {"days": days_left}
    if days_left == 1:
        return _("将于明天到期")
    if days_left == 0:
        return _("今天到期")
    return _("已逾期%(days)s天") % {"days": -days_left}


def reminder_title(*, kind, application):
    titles = {
        "first_review": _("资格初审到期提醒：%(number)s"),
        "resubmission": _("补正材料到期提醒：%(number)s"),
        "opinion": _("征求意见到期提醒：%(number)s"),
    }
    return titles[kind] % {"number": application.number}


def reminder_body(*, kind, application, due_date, days_left):
    values = {
        "who": describe_application(application),
        "when": _("%(phrase)s（截止日期：%(day)s）") % {"phrase": _days_phrase(days_left), "day": format_day(due_date)},
    }
    if kind == "first_review":
        return _("%(who)s尚待资格初审，资格初审%(when)s。请及时办理。") % values
    if kind == "resubmission":
        return _("%(who)s的补正材料%(when)s。请在截止日期前修改并重新提交，逾期将不能再提交。") % values
    return _("%(who)s的征求意见%(when)s。请及时反馈无异议或有异议的意见。") % values


def action_request(*, step, audience):
    """What `audience` is asked to do after `step` (the workflow's `asks`), appended to the step's sentence. The
    link of the notification (notifications.actions) opens the page where it is done."""
    asked = dict(step.asks).get(audience)
    return str(asked) if asked else ""
