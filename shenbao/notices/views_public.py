"""Public notice pages (no log-in): the list, a notice with its units, and the objection form with its receipt."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from shenbao.audit.network import client_ip
from shenbao.core.forms import add_service_errors
from shenbao.core.http import or_404, page_of
from shenbao.organisations.selectors import get_portal_city

from .forms import ObjectionForm
from .objections import file_objection, period_refusal
from .selectors import (
    get_public_notice,
    label_public_notices,
    list_notice_entries,
    list_public_notices,
    notice_closes_at,
)

RECEIPT_SESSION_KEY = "notices:last_receipt"


def public_list(request, slug=None):
    """Every public notice, or one city's (its portal's 公示, `/c/<slug>/service/notices/`)."""
    city = None if slug is None else or_404(get_portal_city, slug=slug)
    page = page_of(request, list_public_notices(city=city))
    page.object_list = label_public_notices(page.object_list)
    return render(request, "notices/public_list.html", {"page_obj": page, "portal_city": city})


def _public_notice_or_404(public_id):
    return or_404(get_public_notice, public_id=public_id)


def public_detail(request, public_id):
    [notice] = label_public_notices([_public_notice_or_404(public_id)])  # its status_label and is_open
    context = {
        "notice": notice,
        "closes_at": notice_closes_at(notice),
        "entries": list_notice_entries(notice=notice),
    }
    return render(request, "notices/public_detail.html", context)


@never_cache
def objection_form(request, public_id):
    notice = _public_notice_or_404(public_id)
    entries = list(list_notice_entries(notice=notice))
    form = ObjectionForm(request.POST or None, request.FILES or None, entries=entries)
    refusal = period_refusal(notice=notice, at=None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            objection = file_objection(
                notice=notice,
                entry_public_id=data["entry"],
                filer_kind=data["filer_kind"],
                filer_name=data["filer_name"],
                id_number=data["id_number"],
                unit_name=data["unit_name"],
                seal_confirmed=data["seal_confirmed"],
                contact_phone=data["contact_phone"],
                email=data["email"],
                content=data["content"],
                files=data["evidence"],
                remote_addr=client_ip(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            request.session[RECEIPT_SESSION_KEY] = {
                "receipt_number": objection.receipt_number,
                "notice": str(notice.public_id),
                "unit": objection.entry.application.unit.name,
                "filed_at": objection.filed_at.isoformat(),
            }
            return redirect("notices:objection_receipt")
    status = 400 if request.method == "POST" else 200
    context = {"notice": notice, "form": form, "refusal": refusal}
    return render(request, "notices/objection_form.html", context, status=status)


@never_cache
def objection_receipt(request):
    receipt = request.session.get(RECEIPT_SESSION_KEY)
    if not receipt:
        raise Http404
    notice = _public_notice_or_404(receipt["notice"])
    return render(request, "notices/objection_receipt.html", {"receipt": receipt, "notice": notice})
