"""消息通知: the user's own inbox; marking read is a POST (a link never changes anything)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from shenbao.audit.events import Event
from shenbao.audit.services import record_event
from shenbao.core.http import or_404, page_of, permission_required

from . import outbox as outbox_services
from . import services
from .models import Notification, OutgoingEmail
from .selectors import (
    count_outgoing_emails,
    get_given_up_email,
    get_notification,
    list_notifications,
    list_outgoing_emails,
)


@login_required
@require_safe
def inbox(request):
    page = page_of(request, list_notifications(user=request.user))
    return render(request, "notifications/inbox.html", {"page_obj": page})


@login_required
@require_POST
def mark_read(request, public_id):
    try:
        notification = get_notification(user=request.user, public_id=public_id)
    except Notification.DoesNotExist as exc:
        raise Http404 from exc
    services.mark_read(notification=notification)
    # "查看" marks the message read and opens what it is about; "标为已读" stays in the inbox.
    if "open" in request.POST and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.url)
    return redirect(_back_to_inbox(request))


@login_required
@require_POST
def mark_all_read(request):
    count = services.mark_all_read(user=request.user)
    messages.success(request, _("已将 %(count)s 条消息标为已读。") % {"count": count})
    return redirect(_back_to_inbox(request))


def _back_to_inbox(request):
    page = request.POST.get("page", "")
    url = reverse("notifications:inbox")
    return f"{url}?page={page}" if page.isdigit() else url


def queue_page(request, *, model, list_rows, count_rows, queue):
    """A channel's outbox page (`notifications/queue.html`): its rows filtered by `?status=`, paginated, with the
    count of each status; `queue` names the page's title, intro, channel cells, retry URL and empty text."""
    status = request.GET.get("status", "")
    if status not in model.Status.values:
        status = ""
    counts = count_rows()
    context = {
        "page_obj": page_of(request, list_rows(status=status)),
        "status": status,
        "statuses": [(value, label, counts.get(value, 0)) for value, label in model.Status.choices],
        "given_up": model.Status.GIVEN_UP,
        "queue": queue,
    }
    return render(request, "notifications/queue.html", context)


@require_safe
@permission_required("notifications.view_outbox", hidden=True)
def outbox(request):
    queue = {
        "title": _("发件队列"),
        "intro": _(
            "平台的每封邮件都先进入发件队列，由后台任务发送；发送失败时按间隔自动重试，多次失败后停止重试并在此列出。"
            "为保护账号安全，此处不显示邮件正文。"
        ),
        "headings": [_("收件人"), _("主题")],
        "cells": "notifications/_email_cells.html",
        "retry": "notifications:outbox_retry",
        "empty": _("没有符合条件的邮件。"),
    }
    return queue_page(
        request, model=OutgoingEmail, list_rows=list_outgoing_emails, count_rows=count_outgoing_emails, queue=queue
    )


@require_POST
@permission_required("notifications.view_outbox", hidden=True)
def retry_email(request, public_id):
    email = or_404(get_given_up_email, public_id=public_id)
    if outbox_services.retry_given_up(email=email):
        record_event(event=Event.EMAIL_RETRY, target=email, request=request, details={"to": email.to})
        messages.success(request, _("已重新加入发件队列：%(subject)s") % {"subject": email.subject})
    return redirect("notifications:outbox")
