"""Public pages of calls: the list, one call, and its downloadable templates."""

from pathlib import Path

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from shenbao.core.http import page_of

from . import selectors
from .aggregation import rule_of
from .models import Call, CallAttachment


@require_safe
def call_list(request):
    page = page_of(request, selectors.list_public_calls())
    return render(request, "calls/call_list.html", {"page_obj": page, "calls": page.object_list})


@require_safe
def call_detail(request, slug):
    try:
        call = selectors.get_call_detail(slug=slug)
    except Call.DoesNotExist:
        raise Http404 from None
    context = {
        "call": call,
        "project_types": selectors.list_project_type_details(call=call),
        "aggregation": rule_of(call).description,
    }
    return render(request, "calls/call_detail.html", context)


@require_safe
def call_attachment(request, slug, code):
    try:
        attachment = selectors.get_call_attachment(slug=slug, code=code)
    except CallAttachment.DoesNotExist:
        raise Http404 from None
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    filename = f"{attachment.title}{Path(attachment.file.name).suffix}"
    response = FileResponse(handle, as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
