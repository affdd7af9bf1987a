"""群发消息: the 技能办 sends one message to the applicant accounts of a filtered set of units — an inbox row, an
e-mail through the outbox and, when an SMS text is given and SMS is configured, a text through the SMS outbox for
each account — and the log keeps one row per recipient pointing at each channel's row, whose status is the log's.
One transaction, one audit entry naming the filters and the count."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shenbao.audit.events import Event
from shenbao.audit.services import record_event

from .models import BulkMessage, BulkRecipient, Notification
from .services import save_notifications_mailed
from .texting import outgoing_sms, queue_texts

if TYPE_CHECKING:
    from shenbao.accounts.models import User
    from shenbao.organisations.models import Region

BULK_EVENT = "bulk"


def describe_filters(filters: dict[str, Any]) -> dict[str, Any]:
    """The filters as stored and audited: names and keys, not objects."""
    return {
        "call": filters["call"].slug if filters.get("call") else "",
        "project_type": filters["project_type"].code if filters.get("project_type") else "",
        "statuses": list(filters.get("statuses") or []),
        "county": filters["county"].key if filters.get("county") else "",
    }


@transaction.atomic
def send_bulk_message(
    *,
    city: Region,
    sender: User,
    recipients: list[User],
    subject: str,
    body: str,
    sms_text: str = "",
    filters: dict[str, Any],
    request: HttpRequest | None = None,
    at: dt.datetime | None = None,
) -> BulkMessage:
    """Send to `recipients` (from `message_selectors.list_bulk_recipients_for`, the same filters)."""
    if not recipients:
        raise ValidationError(_("没有符合条件的收件人，未发送。"), code="no_recipients")
    at = at or timezone.now()
    message = BulkMessage.objects.create(
        city=city,
        sender=sender,
        subject=subject,
        body=body,
        sms_text=sms_text,
        filters=describe_filters(filters),
        created_at=at,
    )
    url = reverse("notifications:inbox")
    mailed = save_notifications_mailed(
        [
            Notification(recipient=user, event=BULK_EVENT, title=subject, body=body, url=url, created_at=at)
            for user in recipients
        ]
    )
    # bulk_create fills the keys of these same objects, so each user's row is known without matching back.
    sms_by_user = {
        user.pk: outgoing_sms(to=str(user.phone or ""), text=sms_text, purpose=f"bulk:{message.pk}", at=at)
        for user in recipients
    }
    texts = queue_texts(sms_by_user.values())
    BulkRecipient.objects.bulk_create(
        BulkRecipient(
            message=message,
            user=user,
            unit=user.organisation,
            notification=notification,
            email=email,
            sms=sms_by_user.get(user.pk),
        )
        for user, (notification, email) in zip(recipients, mailed, strict=True)
    )
    record_event(
        event=Event.BULK_MESSAGE_SEND,
        actor=sender,
        target=message,
        request=request,
        details={
            "subject": subject,
            "filters": message.filters,
            "recipients": len(recipients),
            "emails": sum(1 for _row, email in mailed if email is not None),
            "sms": len(texts),
        },
    )
    return message
