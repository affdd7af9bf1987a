"""Writes about announcements: drafting and editing (the author, while a draft), attachments through the one
upload pipeline, and every state change through the workflow (`workflow.MACHINE`). Each write is audited."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shenbao.audit.services import record_event
from shenbao.core.transitions import fire
from shenbao.core.uploads import UploadRule, check_file_count, check_upload, storing, upload_details

from .models import Announcement, AnnouncementAttachment
from .rules import get_admin_city
from .workflow import MACHINE

if TYPE_CHECKING:
    from shenbao.accounts.models import User
    from shenbao.calls.models import Call

# What a bureau publishes with a notice: documents and scans (the formats the upload pipeline identifies).
ATTACHMENT_RULE = UploadRule(accepted_formats=("pdf", "docx", "jpg", "png"), max_size_mb=20)
ATTACHMENT_NAME = gettext_lazy("附件")
MAX_ATTACHMENTS = 10
EDITED_FIELDS = ("kind", "title", "body", "call")


def _check_call(*, call: Call | None, city_id: int) -> None:
    if call is not None and call.city_id != city_id:
        raise ValidationError({"call": _("只能关联本市的申报通知。")})


def create_announcement(
    *,
    author: User,
    kind: str,
    title: str,
    body: str,
    call: Call | None = None,
    at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> Announcement:
    """A draft of the author's city. Raises PermissionDenied for anyone but a call administrator."""
    city = get_admin_city(author)
    if city is None:
        raise PermissionDenied(_("只有申报管理员可以起草通知公告。"))
    _check_call(call=call, city_id=city.pk)
    at = at or timezone.now()
    announcement = Announcement.objects.create(
        city=city, kind=kind, title=title, body=body, call=call, author=author, created_at=at, updated_at=at
    )
    record_event(
        event="announcement:create",
        actor=author,
        target=announcement,
        request=request,
        details={"title": title, "kind": kind},
    )
    return announcement


def _lock(announcement: Announcement) -> Announcement:
    return Announcement.objects.select_for_update().get(pk=announcement.pk)


def _check_editable(*, user: User, announcement: Announcement) -> None:
    if not rules.has_perm("announcements.edit_announcement", user, announcement):
        raise PermissionDenied(_("只有起草人可以修改本人的通知公告草稿。"))
    if announcement.status != Announcement.Status.DRAFT:
        raise ValidationError(_("该通知公告已送审或发布，不能再修改。"), code="state_changed")


def update_announcement(
    *,
    announcement: Announcement,
    user: User,
    values: dict[str, Any],
    at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> Announcement:
    """Change a draft's kind, title, body or call (only the author, only while a draft); audited with the changes."""
    with transaction.atomic():
        locked = _lock(announcement)
        _check_editable(user=user, announcement=locked)
        _check_call(call=values.get("call", locked.call), city_id=locked.city_id)
        changes = {}
        for name in EDITED_FIELDS:
            if name in values and getattr(locked, name) != values[name]:
                changes[name] = [str(getattr(locked, name) or ""), str(values[name] or "")]
                setattr(locked, name, values[name])
        if changes:
            locked.updated_at = at or timezone.now()
            locked.save(update_fields=[*changes, "updated_at"])
            record_event(
                event="announcement:edit", actor=user, target=locked, request=request, changes=changes, details={}
            )
    return locked


def upload_attachment(
    *, announcement: Announcement, uploaded_file: UploadedFile, user: User, request: HttpRequest | None = None
) -> AnnouncementAttachment:
    """Attach a file to a draft (the author only) through the upload pipeline; refusals are audited there."""
    checked = check_upload(
        uploaded_file=uploaded_file,
        rule=ATTACHMENT_RULE,
        event="announcement:upload_attachment",
        actor=user,
        target=announcement,
        request=request,
        check_allowed=lambda: _check_editable(user=user, announcement=announcement),
    )
    attachment = AnnouncementAttachment(announcement=announcement, uploaded_by=user, **upload_details(checked))
    with storing(attachment, checked), transaction.atomic():
        locked = _lock(announcement)
        _check_editable(user=user, announcement=locked)
        check_file_count(count=locked.attachments.count(), name=ATTACHMENT_NAME, limit=MAX_ATTACHMENTS)
        attachment.save()
        record_event(
            event="announcement:upload_attachment",
            actor=user,
            target=locked,
            request=request,
            details={"attachment": str(attachment.public_id), **upload_details(checked)},
        )
    return attachment


def remove_attachment(*, attachment: AnnouncementAttachment, user: User, request: HttpRequest | None = None) -> None:
    """Remove a draft's attachment (the author only); the stored file goes once the row is gone."""
    with transaction.atomic():
        locked = _lock(attachment.announcement)
        _check_editable(user=user, announcement=locked)
        record_event(
            event="announcement:remove_attachment",
            actor=user,
            target=locked,
            request=request,
            details={"attachment": str(attachment.public_id), "original_name": attachment.original_name},
        )
        name, storage = attachment.file.name or "", attachment.file.storage
        attachment.delete()
        if name:  # the file goes only once the row is surely gone
            transaction.on_commit(lambda: storage.delete(name))


def fire_announcement_step(
    *,
    announcement: Announcement,
    name: str,
    actor: User,
    comment: str = "",
    at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> Announcement:
    """Send for review, return, publish or withdraw (`workflow.MACHINE`): PermissionDenied or ValidationError."""
    return fire(machine=MACHINE, obj=announcement, name=name, actor=actor, comment=comment, at=at, request=request)
