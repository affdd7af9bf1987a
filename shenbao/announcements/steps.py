"""What the announcement's workflow (`workflow.MACHINE`) names: its guards, its effects, its audit details and how
the people concerned are told. Called by `core.transitions.fire` under the announcement's row lock."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from shenbao.accounts.roles import Role
from shenbao.accounts.selectors import holding_role_q, list_active_users
from shenbao.notifications.services import create_notifications
from shenbao.organisations.selectors import regions_within_q

if TYPE_CHECKING:
    from shenbao.accounts.models import User
    from shenbao.core.transitions import Transition

    from .models import Announcement


def has_content(*, announcement: Announcement, actor: Any, payload: Any, at: dt.datetime) -> list[str]:
    if not announcement.title.strip() or not announcement.body.strip():
        return [_("标题和正文不能为空。")]
    return []


def not_the_author(*, announcement: Announcement, actor: Any, payload: Any, at: dt.datetime) -> list[str]:
    # The review exists so that a second person reads what is published in the bureau's name.
    if actor is not None and actor.pk == announcement.author_id:
        return [_("起草人不能审核本人起草的通知公告，须由本市另一名申报管理员审核。")]
    return []


def record_submission(*, announcement: Announcement, actor: Any, payload: Any, at: dt.datetime) -> None:
    announcement.submitted_at = at
    announcement.updated_at = at
    announcement.review_comment = ""


def record_review(*, announcement: Announcement, actor: Any, payload: Any, at: dt.datetime) -> None:
    announcement.reviewed_by = actor
    announcement.review_comment = payload.get("comment", "")
    announcement.updated_at = at


def record_publication(*, announcement: Announcement, actor: Any, payload: Any, at: dt.datetime) -> None:
    announcement.published_at = at


def record_withdrawal(*, announcement: Announcement, actor: Any, payload: Any, at: dt.datetime) -> None:
    announcement.withdrawn_at = at
    announcement.withdrawal_reason = payload.get("comment", "")
    announcement.updated_at = at


GUARDS = {"has_content": has_content, "not_the_author": not_the_author}
EFFECTS = {
    "record_submission": record_submission,
    "record_review": record_review,
    "record_publication": record_publication,
    "record_withdrawal": record_withdrawal,
}


def audit_details(announcement: Announcement, *, step: Transition, at: dt.datetime) -> dict[str, str]:
    return {"title": announcement.title, "kind": announcement.kind, "city": str(announcement.city_id)}


def _reviewers(announcement: Announcement, *, actor: User | None) -> list[User]:
    """The city's other call administrators: whoever of them reviews first does it."""
    query = holding_role_q(Role.CALL_ADMIN) & regions_within_q(announcement.city, prefix="organisation__region")
    if actor is not None:
        query &= ~Q(pk=actor.pk)
    return list(list_active_users(query=query))


def notify_step(
    announcement: Announcement, *, step: Transition, actor: User | None, comment: str, at: dt.datetime
) -> None:
    """Tell the reviewers that a draft waits for them (linking to the review page), or the author what became of
    it. Never the actor; written in the platform's working language, like every notification."""
    url = reverse("announcements:detail", kwargs={"public_id": announcement.public_id})
    if "reviewers" in step.notify:
        recipients = _reviewers(announcement, actor=actor)
    else:
        recipients = [announcement.author] if actor is None or actor.pk != announcement.author_id else []
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        values = {"title": announcement.title, "action": step.label, "actor": getattr(actor, "full_name", "")}
        if "reviewers" in step.notify:
            title = _("通知公告待审核：%(title)s") % values
            body = _("%(actor)s起草的通知公告「%(title)s」已送审，请审核后发布或退回修改。") % values
        else:
            title = _("通知公告已%(action)s：%(title)s") % values
            body = _("您起草的通知公告「%(title)s」已由%(actor)s执行「%(action)s」。") % values
            if comment:
                body += _("意见：%(comment)s") % {"comment": comment}
    create_notifications(
        recipients=recipients,
        event=f"announcement:{step.name}",
        title=title,
        body=body,
        url=url,
        city=announcement.city_id,
        at=at,
    )
