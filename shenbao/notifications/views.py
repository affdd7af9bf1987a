"""消息通知: the user's own inbox; marking read is a POST (a link never changes anything)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from shenbao.audit.events import Event
from shenbao.audit.services import record_event
from shenbao.core.http import or_404, permission_required

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
    page = Paginator(list_notifications(user=request.user), settings.PAGE_SIZE).get_page(request.GET.get("page"))
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


@require_safe
@permission_required("notifications.view_outbox", hidden=True)
def outbox(request):
    status = request.GET.get("status", "")
    if status not in OutgoingEmail.Status.values:
        status = ""
    page = Paginator(list_outgoing_emails(status=status), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    counts = count_outgoing_emails()
    context = {
        "page_obj": page,
        "status": status,
        "statuses": [(value, label, counts.get(value, 0)) for value, label in OutgoingEmail.Status.choices],
        "given_up": OutgoingEmail.Status.GIVEN_UP,
    }
    return render(request, "notifications/outbox.html", context)


@require_POST
@permission_required("notifications.view_outbox", hidden=True)
def retry_email(request, public_id):
    email = or_404(get_given_up_email, public_id=public_id)
    if outbox_services.retry_given_up(email=email):
        record_event(event=Event.EMAIL_RETRY, target=email, request=request, details={"to": email.to})
        messages.success(request, _("已重新加入发件队列：%(subject)s") % {"subject": email.subject})
    return redirect("notifications:outbox")
