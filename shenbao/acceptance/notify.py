"""Notifications (站内消息 + e-mail through `shenbao.notifications`) of the construction period and 评估验收.

Written inside the acting service's transaction, so a step that rolls back tells nobody; the actor is never told
about their own action.
"""

from shenbao.notifications.recipients import list_recipients
from shenbao.notifications.services import create_notifications


def describe(application):
    return f"{application.unit.name}（{application.project_type.name}，申报编号 {application.number}）"


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
