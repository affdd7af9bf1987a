"""The 技能办's message pages: notification templates, the workflow's and every other notice's (edit, preview,
reset), bulk messages (filter, preview the recipients, send, the log), and the system administrator's SMS outbox.
Thin: forms, selectors and the template/bulk services do the work; every page is scoped to the user's city."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from shenbao.accounts.roles import Role
from shenbao.accounts.rules import get_city_of_user
from shenbao.audit.events import Event
from shenbao.audit.services import record_event
from shenbao.core.crypto import mask_phone
from shenbao.core.forms import add_service_errors
from shenbao.core.http import or_404, page_of, permission_required

from . import bulk_services, message_selectors, template_services, texting
from .forms import BulkMessageForm, MessageTemplateForm
from .models import OutgoingSms
from .notice_events import NOTICE_EVENTS, NOTICE_SLUGS, NoticeEvent
from .templating import EVENTS, FIELDS, PLACEHOLDERS, TemplateEvent
from .views import queue_page


def _admin_city(request):
    city = get_city_of_user(request.user, role=Role.CALL_ADMIN)
    if city is None:
        raise Http404
    return city


def _event(slug: str) -> TemplateEvent | NoticeEvent:
    found = EVENTS.get(slug) or NOTICE_SLUGS.get(slug)
    if found is None:
        raise Http404
    return found


@require_safe
@permission_required("notifications.edit_message_templates")
def message_templates(request):
    edited = message_selectors.map_message_templates(city=_admin_city(request))
    rows = [(event, edited.get(event.event)) for event in EVENTS.values()]
    groups: dict[str, list[tuple[NoticeEvent, object]]] = {}
    for notice in NOTICE_EVENTS.values():
        groups.setdefault(str(notice.group), []).append((notice, edited.get(notice.event)))
    return render(request, "notifications/message_templates.html", {"rows": rows, "groups": groups})


@require_http_methods(["GET", "POST"])
@permission_required("notifications.edit_message_templates")
def message_template_edit(request, event):
    city, template_event = _admin_city(request), _event(event)
    template = message_selectors.find_message_template(city=city, event=template_event.event)
    initial = {field: getattr(template, field) for field in FIELDS} if template else {}
    form = MessageTemplateForm(request.POST or None, initial=initial, event=template_event)
    preview = None
    if request.method == "POST" and form.is_valid():
        texts = {field: form.cleaned_data[field] for field in FIELDS}
        if "preview" in request.POST:
            preview = template_services.preview_template(event=template_event, texts=texts)
        else:
            template_services.save_message_template(
                city=city, event=template_event, texts=texts, actor=request.user, request=request
            )
            messages.success(request, _("已保存消息模板：%(event)s") % {"event": template_event.label})
            return redirect("notifications:message_templates")
    context = {
        "form": form,
        "event": template_event,
        "template": template,
        "preview": preview,
        "defaults": template_event.defaults(),
        "placeholders": [(name, PLACEHOLDERS[name]) for name in template_event.allowed("email_body")],
    }
    return render(request, "notifications/message_template_edit.html", context)


@require_POST
@permission_required("notifications.edit_message_templates")
def message_template_reset(request, event):
    city, template_event = _admin_city(request), _event(event)
    if template_services.reset_message_template(city=city, event=template_event, actor=request.user, request=request):
        messages.success(request, _("已恢复默认消息模板：%(event)s") % {"event": template_event.label})
    return redirect("notifications:message_templates")


@require_safe
@permission_required("notifications.view_bulk_messages")
def bulk_messages(request):
    city = get_city_of_user(request.user)
    page = page_of(request, message_selectors.list_bulk_messages(city=city))
    return render(request, "notifications/bulk_messages.html", {"page_obj": page})


@require_http_methods(["GET", "POST"])
@permission_required("notifications.send_bulk_messages")
def bulk_message_new(request):
    city = _admin_city(request)
    form = BulkMessageForm(request.POST or None, city=city)
    recipients = None
    if request.method == "POST" and form.is_valid():
        recipients = message_selectors.list_bulk_recipients_for(city=city, filters=form.filters())
        if "send" in request.POST and form.check_message():
            try:
                message = bulk_services.send_bulk_message(
                    city=city,
                    sender=request.user,
                    recipients=recipients,
                    subject=form.cleaned_data["subject"].strip(),
                    body=form.cleaned_data["body"].strip(),
                    sms_text=form.cleaned_data["sms_text"].strip(),
                    filters=form.filters(),
                    request=request,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("已向 %(count)s 个账号发送群发消息。") % {"count": len(recipients)})
                return redirect("notifications:bulk_message", public_id=message.public_id)
    return render(request, "notifications/bulk_message_new.html", {"form": form, "recipients": recipients})


@require_safe
@permission_required("notifications.view_bulk_messages")
def bulk_message(request, public_id):
    message = or_404(message_selectors.get_bulk_message, city=get_city_of_user(request.user), public_id=public_id)
    rows = message_selectors.list_bulk_recipients(message=message)
    return render(request, "notifications/bulk_message.html", {"message": message, "rows": rows})


@require_safe
@permission_required("notifications.view_sms_outbox", hidden=True)
def sms_outbox(request):
    queue = {
        "title": _("短信发送队列"),
        "intro": _(
            "平台的每条短信都先进入短信发送队列，由后台任务发送；发送失败时按间隔自动重试，多次失败后停止重试并在此列出。"
            "手机号码部分隐藏，不显示短信内容。"
        ),
        "headings": [_("手机号码"), _("用途")],
        "cells": "notifications/_sms_cells.html",
        "retry": "notifications:sms_outbox_retry",
        "empty": _("没有符合条件的短信。"),
    }
    return queue_page(
        request,
        model=OutgoingSms,
        list_rows=message_selectors.list_outgoing_texts,
        count_rows=message_selectors.count_outgoing_texts,
        queue=queue,
    )


@require_POST
@permission_required("notifications.view_sms_outbox", hidden=True)
def retry_sms(request, public_id):
    sms = or_404(message_selectors.get_given_up_sms, public_id=public_id)
    if texting.retry_given_up_sms(sms=sms):
        phone = mask_phone(str(sms.to))
        record_event(event=Event.SMS_RETRY, target=sms, request=request, details={"to": phone})
        messages.success(request, _("已重新加入短信发送队列：%(phone)s") % {"phone": phone})
    return redirect("notifications:sms_outbox")
