"""The call administrator's announcement pages: list, draft, edit, attachments, review and the workflow's steps.

Every object comes through the scoped selectors: another city's announcement or attachment answers 404; a step
the user may not take answers with the workflow's reason on the page.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from shenbao.calls.selectors import list_published_calls_of_city
from shenbao.core.files import serve_stored_file
from shenbao.core.forms import add_service_errors
from shenbao.core.http import error_messages, or_404, page_of, permission_required
from shenbao.core.transitions import check_guards, may_fire

from .forms import AnnouncementForm, AttachmentForm, StepForm
from .models import Announcement
from .rules import get_admin_city
from .selectors import get_admin_announcement, get_admin_attachment, list_admin_announcements, list_attachments
from .services import (
    create_announcement,
    fire_announcement_step,
    remove_attachment,
    update_announcement,
    upload_attachment,
)
from .workflow import MACHINE

MANAGE = "announcements.manage_announcements"


def _calls(user):
    return list_published_calls_of_city(city=get_admin_city(user))


def _announcement_or_404(request, public_id):
    return or_404(get_admin_announcement, user=request.user, public_id=public_id)


@require_safe
@permission_required(MANAGE, hidden=True)
def announcement_list(request):
    status = request.GET.get("status", "")
    if status not in Announcement.Status.values:
        status = ""
    announcements = list_admin_announcements(user=request.user, status=status)
    page_obj = page_of(request, announcements)
    context = {"page_obj": page_obj, "status": status, "statuses": Announcement.Status.choices}
    return render(request, "announcements/list.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(MANAGE, hidden=True)
def announcement_create(request):
    form = AnnouncementForm(request.POST or None, calls=_calls(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            announcement = create_announcement(author=request.user, request=request, **form.cleaned_data)
        except (PermissionDenied, ValidationError) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("草稿已保存，可上传附件后送审。"))
            return redirect("announcements:detail", public_id=announcement.public_id)
    status = 400 if request.method == "POST" else 200
    return render(request, "announcements/edit.html", {"form": form}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(MANAGE, hidden=True)
def announcement_edit(request, public_id):
    announcement = _announcement_or_404(request, public_id)
    initial = {name: getattr(announcement, name) for name in ("kind", "title", "body", "call")}
    form = AnnouncementForm(request.POST or None, initial=initial, calls=_calls(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            update_announcement(announcement=announcement, user=request.user, values=form.cleaned_data, request=request)
        except (PermissionDenied, ValidationError) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("草稿已保存。"))
            return redirect("announcements:detail", public_id=announcement.public_id)
    status = 400 if request.method == "POST" else 200
    return render(request, "announcements/edit.html", {"form": form, "announcement": announcement}, status=status)


def _steps(user, announcement):
    """The steps to offer as buttons: the user's, from this state, that no guard refuses (the author is offered no
    review of their own draft)."""
    now = timezone.now()
    return [
        step
        for step in MACHINE.transitions_from(announcement.status)
        if may_fire(machine=MACHINE, step=step, obj=announcement, user=user)
        and not check_guards(machine=MACHINE, step=step, obj=announcement, actor=user, payload={}, at=now)
    ]


@require_safe
@permission_required(MANAGE, hidden=True)
def announcement_detail(request, public_id):
    announcement = _announcement_or_404(request, public_id)
    context = {
        "announcement": announcement,
        "attachments": list_attachments(announcement=announcement),
        "steps": _steps(request.user, announcement),
        "may_edit": request.user.has_perm("announcements.edit_announcement", announcement)
        and announcement.status == Announcement.Status.DRAFT,
        "attachment_form": AttachmentForm(),
    }
    return render(request, "announcements/detail.html", context)


def _report(request, error):
    for message in error_messages(error):
        messages.error(request, message)


@require_POST
@permission_required(MANAGE, hidden=True)
def announcement_step(request, public_id):
    announcement = _announcement_or_404(request, public_id)
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择要执行的操作。"))
    else:
        try:
            fire_announcement_step(
                announcement=announcement,
                name=form.cleaned_data["step"],
                actor=request.user,
                comment=form.cleaned_data["comment"],
                request=request,
            )
        except (PermissionDenied, ValidationError) as error:
            _report(request, error)
        else:
            label = MACHINE.transition(form.cleaned_data["step"]).label
            messages.success(request, _("已执行「%(action)s」。") % {"action": label})
    return redirect("announcements:detail", public_id=announcement.public_id)


@require_POST
@permission_required(MANAGE, hidden=True)
def attachment_upload(request, public_id):
    announcement = _announcement_or_404(request, public_id)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的文件。"))
    else:
        try:
            upload_attachment(
                announcement=announcement, uploaded_file=form.cleaned_data["file"], user=request.user, request=request
            )
        except (PermissionDenied, ValidationError) as error:
            _report(request, error)
        else:
            messages.success(request, _("附件已上传。"))
    return redirect("announcements:detail", public_id=announcement.public_id)


@require_POST
@permission_required(MANAGE, hidden=True)
def attachment_remove(request, public_id):
    attachment = or_404(get_admin_attachment, user=request.user, public_id=public_id)
    try:
        remove_attachment(attachment=attachment, user=request.user, request=request)
    except (PermissionDenied, ValidationError) as error:
        _report(request, error)
    else:
        messages.success(request, _("附件已移除。"))
    return redirect("announcements:detail", public_id=attachment.announcement.public_id)


@require_safe
@permission_required(MANAGE, hidden=True)
def attachment_download(request, public_id):
    attachment = or_404(get_admin_attachment, user=request.user, public_id=public_id)
    return serve_stored_file(
        request,
        file=attachment.file,
        filename=attachment.original_name,
        content_type=attachment.content_type,
        event="announcement:download_attachment",
        target=attachment.announcement,
        details={"attachment": str(attachment.public_id)},
    )
