"""The call administrator's notice pages: list, publish (preview, then confirm), detail, objections, decisions.

Everything is fetched through the scoped selectors: another city's notice or objection answers 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from shenbao.applications.formdata import reveal_id_number
from shenbao.calls.formatting import join_project_type_names
from shenbao.calls.selectors import list_published_calls_of_city
from shenbao.core.crypto import mask_id_number
from shenbao.core.files import serve_generated_file, serve_stored_file
from shenbao.core.forms import add_service_errors
from shenbao.core.http import or_404, page_of

from .forms import DecisionForm, PublishForm
from .models import Objection
from .permissions import perm_or_404
from .publication import render_notice_docx, render_notice_fragment
from .rules import get_admin_city
from .selectors import (
    STATUS_LABELS,
    beijing_date,
    get_admin_evidence,
    get_admin_notice,
    get_admin_objection,
    get_notice_status,
    list_admin_notices,
    list_admin_objections,
    list_awardable_applications,
    list_entries_with_objection_counts,
    list_publishable_applications,
)
from .services import compute_notice_period, decide_objection, publish_notice

MANAGE = "notices.manage_notices"


def _paginate(request, queryset):
    return page_of(request, queryset)


@perm_or_404(MANAGE)
def notice_list(request):
    page = _paginate(request, list_admin_notices(user=request.user))
    today = beijing_date()
    for notice in page:
        notice.status_label = STATUS_LABELS[get_notice_status(notice=notice)]
    return render(request, "notices/notice_list.html", {"page_obj": page, "today": today})


def _admin_calls(user):
    return list_published_calls_of_city(city=get_admin_city(user))


@perm_or_404(MANAGE)
def notice_publish(request):
    calls = _admin_calls(request.user)
    latest = calls.first()
    if request.method != "POST":
        initial = {"start_date": beijing_date()}
        if latest:
            initial |= {
                "call": latest,
                "title": "{year}年{types}拟授牌单位公示".format(
                    year=latest.year,
                    types=join_project_type_names(item.name for item in latest.project_types.order_by("sort_order")),
                ),
                "contact_name": latest.contact_name,
                "contact_phone": latest.contact_phone,
                "contact_address": latest.submission_address,
            }
        return render(request, "notices/notice_publish.html", {"form": PublishForm(initial=initial, calls=calls)})
    form = PublishForm(request.POST, calls=calls)
    context = {"form": form}
    if form.is_valid():
        data = form.cleaned_data
        try:
            if request.POST.get("action") == "confirm":
                result = publish_notice(**data, user=request.user, request=request)
                return _after_publish(request, result)
            context["period"] = compute_notice_period(call=data["call"], start_date=data["start_date"])
            context["candidates"] = list_publishable_applications(call=data["call"])
        except ValidationError as exc:
            context["publish_errors"] = exc.messages
        except PermissionDenied as exc:
            context["publish_errors"] = [str(exc)]
    return render(request, "notices/notice_publish.html", context)


def _after_publish(request, result):
    for application, reasons in result.refused:
        messages.warning(
            request,
            _("%(name)s（%(number)s）未能公示：%(reasons)s")
            % {"name": application.unit.name, "number": application.number, "reasons": ";".join(reasons)},
        )
    if result.notice is None:
        messages.error(request, _("没有单位能够公示，公示未发布。"))
        return redirect("notices:publish")
    messages.success(request, _("公示已发布，共%(count)s个单位。") % {"count": len(result.published)})
    return redirect("notices:detail", public_id=result.notice.public_id)


def _admin_notice_or_404(user, public_id):
    return or_404(get_admin_notice, user=user, public_id=public_id)


@perm_or_404(MANAGE)
def notice_detail(request, public_id):
    notice = _admin_notice_or_404(request.user, public_id)
    context = {
        "notice": notice,
        "status_label": STATUS_LABELS[get_notice_status(notice=notice)],
        "entries": list_entries_with_objection_counts(notice=notice),
        "awardable": list_awardable_applications(notice=notice),
    }
    return render(request, "notices/notice_detail.html", context)


@perm_or_404(MANAGE)
def objection_list(request):
    status = request.GET.get("status", Objection.Status.PENDING)
    if status not in Objection.Status.values:
        status = ""
    page = _paginate(request, list_admin_objections(user=request.user, status=status))
    context = {"page_obj": page, "status": status, "statuses": Objection.Status.choices}
    return render(request, "notices/objection_list.html", context)


@perm_or_404(MANAGE)
def objection_detail(request, public_id):
    objection = or_404(get_admin_objection, user=request.user, public_id=public_id)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decide_objection(
                objection=objection,
                upheld=data["decision"] == Objection.Status.UPHELD,
                investigation_note=data["investigation_note"],
                reply=data["reply"],
                user=request.user,
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("异议%(receipt_number)s已处理。") % {"receipt_number": objection.receipt_number}
            )
            return redirect("notices:objection_detail", public_id=objection.public_id)
    context = {
        "objection": objection,
        "masked_id_number": mask_id_number(reveal_id_number(objection.id_number)),
        "form": form,
    }
    return render(request, "notices/objection_detail.html", context)


@perm_or_404(MANAGE)
def evidence_download(request, public_id):
    evidence = or_404(get_admin_evidence, user=request.user, public_id=public_id)
    return serve_stored_file(
        request,
        file=evidence.file,
        filename=evidence.original_name,
        content_type=evidence.content_type,
        event="notice:evidence_download",
        target=evidence.objection,
        details={"receipt_number": evidence.objection.receipt_number, "file": evidence.original_name},
    )


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@perm_or_404(MANAGE)
def notice_export(request, public_id, fmt):
    """The 公示 for the bureau's own website: an HTML fragment or a DOCX (staff only, audited)."""
    notice = _admin_notice_or_404(request.user, public_id)
    if fmt == "docx":
        content, content_type = render_notice_docx(notice=notice), DOCX
    else:
        content, content_type = render_notice_fragment(notice=notice).encode(), "text/html; charset=utf-8"
    return serve_generated_file(
        request,
        content=content,
        filename=f"{notice.title}.{fmt}",
        content_type=content_type,
        event="notice:export",
        target=notice,
        details={"format": fmt, "title": notice.title},
    )
