"""Writes of message templates: the 技能办 saves its city's wording of a notification, or resets it to the
platform's default; both audited, and both drop the cached map of templated events (`message_selectors`). Every
field is checked against the event's placeholders first."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from shenbao.audit.events import Event
from shenbao.audit.services import record_event

from .message_selectors import forget_templated_events
from .models import MessageTemplate
from .placeholders import check_placeholders, render_text
from .templating import FIELDS

if TYPE_CHECKING:
    from shenbao.accounts.models import User
    from shenbao.organisations.models import Region

    from .notice_events import NoticeEvent
    from .templating import TemplateEvent


def validate_template_texts(*, event: TemplateEvent | NoticeEvent, texts: dict[str, str]) -> None:
    """One ValidationError per field whose text names a placeholder the event does not offer."""
    errors: dict[str, list[ValidationError]] = {}
    for field in FIELDS:
        try:
            check_placeholders(text=texts.get(field, ""), allowed=event.allowed(field))
        except ValidationError as error:
            errors[field] = [error]
    if errors:
        raise ValidationError(errors)


def preview_template(*, event: TemplateEvent | NoticeEvent, texts: dict[str, str]) -> dict[str, str]:
    """The five texts rendered with sample data (blank fields show the default), after validation."""
    validate_template_texts(event=event, texts=texts)
    values = event.samples()
    defaults = event.defaults()
    title = render_text(text=texts.get("title") or defaults["title"], values=values)
    body = render_text(text=texts.get("body") or defaults["body"], values=values)
    mail_values = {**values, "标题": title, "正文": body, "收件人": _("示例用户")}
    return {
        "title": title,
        "body": body,
        "email_subject": render_text(text=texts.get("email_subject") or defaults["email_subject"], values=mail_values),
        "email_body": render_text(text=texts.get("email_body") or defaults["email_body"], values=mail_values),
        "sms_text": render_text(text=texts.get("sms_text", ""), values=values),
    }


@transaction.atomic
def save_message_template(
    *,
    city: Region,
    event: TemplateEvent | NoticeEvent,
    texts: dict[str, str],
    actor: User,
    request: HttpRequest | None = None,
    at: dt.datetime | None = None,
) -> MessageTemplate:
    validate_template_texts(event=event, texts=texts)
    values = {field: texts.get(field, "").strip() for field in FIELDS}
    forget_templated_events()
    template, _created = MessageTemplate.objects.update_or_create(
        city=city,
        event=event.event,
        defaults={**values, "updated_by": actor, "updated_at": at or timezone.now()},
    )
    record_event(
        event=Event.MESSAGE_TEMPLATE_SAVE,
        actor=actor,
        target=template,
        request=request,
        details={"event": event.event, **values},
    )
    return template


@transaction.atomic
def reset_message_template(
    *, city: Region, event: TemplateEvent | NoticeEvent, actor: User, request: HttpRequest | None = None
) -> bool:
    """Delete the city's template (the default applies again); False when there was none."""
    template = MessageTemplate.objects.filter(city=city, event=event.event).first()
    if template is None:
        return False
    record_event(
        event=Event.MESSAGE_TEMPLATE_RESET,
        actor=actor,
        target=template,
        request=request,
        details={"event": event.event},
    )
    forget_templated_events()
    template.delete()
    return True
