"""Downloads (PDF, DOCX), the print view and the public verification page of generated documents."""

import rules
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from shenbao.applications.selectors import get_visible_application
from shenbao.audit.network import client_ip
from shenbao.core import ratelimit
from shenbao.core.files import generated_file_response
from shenbao.core.http import or_404

from .content import build_document_content
from .forms import VerificationForm
from .kinds import APPLICATION_FORM_SLUG, DocumentNotAvailable, get_document_kind, list_document_kinds
from .selectors import find_verification
from .services import generate_application_document, record_document_generation

# Plaques and designation documents (授牌) carry codes of the same shape: one public page for all. Their app looks
# them up, named by dotted path and imported on use, so documents does not depend on the stage that prints it.
AWARD_VERIFICATION = "shenbao.awards.selectors.find_award_verification"


def _application_or_404(request, public_id):
    return or_404(get_visible_application, user=request.user, public_id=public_id)


def _site_url(request):
    return request.build_absolute_uri("/")


@require_GET
@login_required
def application_document(request, public_id, document, file_format):
    application = _application_or_404(request, public_id)
    try:
        generated = generate_application_document(
            application=application,
            document=document,
            file_format=file_format,
            actor=request.user,
            request=request,
            site_url=_site_url(request),
        )
    except DocumentNotAvailable as exc:
        raise Http404 from exc
    # Personal data inside: never kept by a shared cache or the browser's disk cache (never-cache headers).
    return generated_file_response(
        request, generated.content, filename=generated.filename, content_type=generated.content_type
    )


@require_GET
@login_required
def print_view(request, public_id):
    application = _application_or_404(request, public_id)
    kind = get_document_kind(project_type=application.project_type, slug=APPLICATION_FORM_SLUG, call=application.call)
    reveal_contact = rules.has_perm("organisations.view_contact_phone", request.user, application.unit)
    content = build_document_content(
        application=application, kind=kind, site_url=_site_url(request), reveal_contact=reveal_contact
    )
    total = application.call.paper_copies or 1
    # Marked on the paper itself, which is a Chinese form whatever the interface language.
    copies = [f"第{number}份/共{total}份" for number in range(1, total + 1)]
    record_document_generation(
        application=application, kind=kind, file_format="print", actor=request.user, request=request, copies=total
    )
    context = {
        "application": application,
        "content": content,
        "copies": copies,
        "documents": list_document_kinds(project_type=application.project_type, call=application.call),
    }
    response = render(request, "documents/print.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@never_cache
def verify(request, code=None):
    """核验: anyone may check a code; unknown and malformed codes get the same answer as each other."""
    form = VerificationForm({"code": code}) if code is not None else VerificationForm(request.GET or None)
    context = {"form": form, "searched": form.is_bound, "result": None, "award_result": None}
    if form.is_bound:
        limit = getattr(settings, "SHENBAO_VERIFY_RATE_LIMIT", 30)
        if not ratelimit.allow(scope="verify", ident=client_ip(request), limit=ratelimit.Limit(limit, 60)):
            context.update(searched=False, rate_limited=True)
            return render(request, "documents/verify.html", context, status=429)
        if form.is_valid():
            context["result"] = find_verification(code=form.cleaned_data["code"])
            if context["result"] is None:
                context["award_result"] = import_string(AWARD_VERIFICATION)(code=form.cleaned_data["code"])
    return render(request, "documents/verify.html", context)
