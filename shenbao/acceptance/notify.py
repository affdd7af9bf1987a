"""Notifications (站内消息 + e-mail through `shenbao.notifications`) of the construction period and 评估验收.

Written inside the acting service's transaction, so a step that rolls back tells nobody; the actor is never told
about their own action. `notify_step` is the notify hook of the acceptance machines (`workflow`): it tells the
step's audiences what its phrase below says.
"""

import datetime
from collections.abc import Callable
from typing import Any, NamedTuple

from django.utils.translation import gettext as _

from shenbao.core.days import format_day
from shenbao.core.transitions import Transition
from shenbao.notifications.recipients import list_recipients
from shenbao.notifications.services import create_notifications, in_working_language

from .evaluations import evaluation_url
from .guards import LAST_ROUND
from .models import Rectification
from .services import rectification_url, report_url
from .steps import is_overdue


def describe(application):
    return _("%(unit)s（%(type)s，申报编号 %(number)s）") % {
        "unit": application.unit.name,
        "type": application.project_type.name,
        "number": application.number,
    }


def notify_audiences(*, application, audiences, actor, event, title, body, url, at=None):
    """Tell the workflow audiences ("applicant", "call_admin") of `application`."""
    users = [user for user, _audience in list_recipients(application=application, audiences=audiences, exclude=actor)]
    return create_notifications(
        recipients=users, event=event, title=title, body=body, url=url, application=application, at=at
    )


def notify_users(*, users, application, event, title, body, url, at=None):
    return create_notifications(
        recipients=list(users), event=event, title=title, body=body, url=url, application=application, at=at
    )


class Message(NamedTuple):
    event: str
    title: str
    body: str
    url: str


def _report_submitted(report: Any, comment: str, at: datetime.datetime) -> Message:
    application = report.application
    values = {"unit": describe(application), "year": report.year}
    if is_overdue(report, at):
        body = _("%(unit)s已提交%(year)s年度建设进展报告（逾期报送），请审核。") % values
    else:
        body = _("%(unit)s已提交%(year)s年度建设进展报告，请审核。") % values
    title = _("建设进展报告待审核：%(number)s") % {"number": application.number}
    return Message("acceptance:submit_report", title, body, report_url(report))


def _report_accepted(report: Any, comment: str, at: datetime.datetime) -> Message:
    values = {"unit": describe(report.application), "year": report.year, "comment": comment}
    title = _("建设进展报告已审核通过：%(year)s年度") % values
    if comment:
        body = _("%(unit)s的%(year)s年度建设进展报告已审核通过：%(comment)s") % values
    else:
        body = _("%(unit)s的%(year)s年度建设进展报告已审核通过。") % values
    return Message("acceptance:review_report", title, body, report_url(report))


def _report_returned(report: Any, comment: str, at: datetime.datetime) -> Message:
    values = {"unit": describe(report.application), "year": report.year, "comment": comment}
    title = _("建设进展报告被退回修改：%(year)s年度") % values
    body = _("%(unit)s的%(year)s年度建设进展报告被退回修改：%(comment)s") % values
    return Message("acceptance:review_report", title, body, report_url(report))


def _evaluation_submitted(evaluation: Any, comment: str, at: datetime.datetime) -> Message:
    application = evaluation.application
    values = {"unit": describe(application), "number": application.number, "total": evaluation.self_total}
    if evaluation.round > 1:
        title = _("复评申请：%(number)s") % values
        body = _("%(unit)s已提交复评申请（自评%(total)s分），请指派验收专家。") % values
    else:
        title = _("评估验收申请：%(number)s") % values
        body = _("%(unit)s已提交评估验收申请（自评%(total)s分），请指派验收专家。") % values
    return Message("acceptance:submit_evaluation", title, body, evaluation_url(evaluation))


def _evaluation_decided(evaluation: Any, comment: str, at: datetime.datetime) -> Message:
    application = evaluation.application
    values = {
        "unit": describe(application),
        "round": evaluation.round,
        "band": evaluation.get_band_display(),
        "total": evaluation.total,
        "conclusion": evaluation.conclusion,
    }
    if evaluation.passed:
        body = _("%(unit)s第%(round)s轮评估验收结论为%(band)s（%(total)s分），验收合格。") % values
    elif evaluation.round < LAST_ROUND:
        due_on = Rectification.objects.get(evaluation=evaluation).due_on
        body = _(
            "%(unit)s评估验收结论为不合格（%(total)s分）：%(conclusion)s"
            "请于%(due)s前完成整改并提交整改报告，之后可申请复评一次。"
        ) % {**values, "due": format_day(due_on)}
    else:
        body = _("%(unit)s复评结论为不合格，已撤销命名：%(conclusion)s") % values
    title = _("评估验收结论：%(band)s") % values
    return Message("acceptance:decide", title, body, evaluation_url(evaluation))


def _rectification_submitted(rectification: Any, comment: str, at: datetime.datetime) -> Message:
    application = rectification.application
    title = _("整改报告已提交：%(number)s") % {"number": application.number}
    body = _("%(unit)s已提交评估验收整改报告，可申请复评。") % {"unit": describe(application)}
    return Message("acceptance:submit_rectification", title, body, rectification_url(rectification))


# What each step tells its audiences (`Transition.notify`): the notification's event, title, body and page.
PHRASES: dict[str, Callable[[Any, str, datetime.datetime], Message]] = {
    "submit_report": _report_submitted,
    "accept_report": _report_accepted,
    "return_report": _report_returned,
    "submit_evaluation": _evaluation_submitted,
    "decide": _evaluation_decided,
    "close_missed": _evaluation_decided,
    "submit_rectification": _rectification_submitted,
}


def notify_step(obj: Any, *, step: Transition, actor: Any, comment: str, at: datetime.datetime) -> None:
    """The acceptance machines' notify hook."""
    if not step.notify:
        return
    with in_working_language():
        message = PHRASES[step.name](obj, comment, at)
    notify_audiences(
        application=obj.application,
        audiences=step.notify,
        actor=actor,
        event=message.event,
        title=message.title,
        body=message.body,
        url=message.url,
        at=at,
    )
