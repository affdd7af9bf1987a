"""Pages of the 答辩 schedule: sessions and slots for the administrator, the printable schedule and its PDF,
and the applicant unit's own slot."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from shenbao.accounts.roles import Role
from shenbao.core.forms import add_service_errors
from shenbao.core.http import error_messages, or_404, require_permission

from . import selectors, services
from .documents import render_schedule_pdf, schedule_context
from .forms import SessionForm, SlotForm


def _session_values(form):
    return {name: form.cleaned_data[name] for name in SessionForm.base_fields}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def session_create(request, public_id):
    require_permission(request.user, "experts.manage_pool")
    panel = or_404(selectors.get_panel, user=request.user, public_id=public_id)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.create_session(panel=panel, actor=request.user, request=request, **_session_values(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("答辩场次已创建，请生成时段。"))
            return redirect("experts:session_detail", public_id=session.public_id)
    return render(request, "experts/session_form.html", {"panel": panel, "form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def session_detail(request, public_id):
    require_permission(request.user, "experts.manage_pool")
    session = or_404(selectors.get_session, user=request.user, public_id=public_id)
    initial = {name: getattr(session, name) for name in SessionForm.base_fields}
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_session(session=session, actor=request.user, request=request, **_session_values(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("答辩场次已保存。"))
            return redirect("experts:session_detail", public_id=session.public_id)
    slots = list(selectors.list_slots(session=session))
    context = {
        "session": session,
        "panel": session.panel,
        "form": form,
        "slots": slots,
        "unnotified": sum(1 for slot in slots if slot.notified_at is None),
    }
    return render(request, "experts/session_detail.html", context)


@login_required
@require_POST
def session_generate(request, public_id):
    require_permission(request.user, "experts.manage_pool")
    session = or_404(selectors.get_session, user=request.user, public_id=public_id)
    try:
        created = services.generate_slots(session=session, actor=request.user, request=request)
    except ValidationError as error:
        for text in error_messages(error):
            messages.error(request, text)
    else:
        if created:
            messages.success(request, _("已生成%(count)s个答辩时段。") % {"count": len(created)})
        else:
            messages.info(request, _("专家评审阶段的申报均已安排答辩时段。"))
    return redirect("experts:session_detail", public_id=session.public_id)


@login_required
@require_POST
def session_notify(request, public_id):
    require_permission(request.user, "experts.manage_pool")
    session = or_404(selectors.get_session, user=request.user, public_id=public_id)
    told = services.notify_applicants(session=session, actor=request.user, request=request)
    if told:
        messages.success(request, _("已通知%(count)s个申报单位。") % {"count": told})
    else:
        messages.info(request, _("没有需要通知的答辩时段。"))
    return redirect("experts:session_detail", public_id=session.public_id)


@login_required
@require_safe
def session_print(request, public_id):
    require_permission(request.user, "experts.manage_pool")
    session = or_404(selectors.get_session, user=request.user, public_id=public_id)
    return render(request, "experts/session_print.html", schedule_context(session=session))


@login_required
@require_safe
def session_pdf(request, public_id):
    require_permission(request.user, "experts.manage_pool")
    session = or_404(selectors.get_session, user=request.user, public_id=public_id)
    data = render_schedule_pdf(session=session, user=request.user, request=request)
    response = HttpResponse(data, content_type="application/pdf")
    filename = f"答辩安排表-{session.date:%Y%m%d}.pdf"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def slot_edit(request, public_id):
    require_permission(request.user, "experts.manage_pool")
    slot = or_404(selectors.get_slot, user=request.user, public_id=public_id)
    initial = {
        "starts_at": slot.starts_at,
        "presentation_minutes": slot.presentation_minutes,
        "questions_minutes": slot.questions_minutes,
    }
    form = SlotForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_slot(slot=slot, actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("答辩时段已保存；请重新通知该申报单位。"))
            return redirect("experts:session_detail", public_id=slot.session.public_id)
    return render(request, "experts/slot_form.html", {"slot": slot, "session": slot.session, "form": form})


@login_required
@require_POST
def slot_delete(request, public_id):
    require_permission(request.user, "experts.manage_pool")
    slot = or_404(selectors.get_slot, user=request.user, public_id=public_id)
    session = slot.session
    services.delete_slot(slot=slot, actor=request.user, request=request)
    messages.success(request, _("已移除该答辩时段。"))
    return redirect("experts:session_detail", public_id=session.public_id)


@login_required
@require_safe
def my_defence(request):
    if not request.user.has_role(Role.APPLICANT):
        raise PermissionDenied
    slots = selectors.list_unit_defence_slots(user=request.user)
    return render(request, "experts/my_defence.html", {"slots": slots})
