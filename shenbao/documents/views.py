"""Downloads (PDF, DOCX), the print view and the public verification page of generated documents.

A submitted version's document is never rendered here: the task worker rendered it (`services_stored`), so the
download serves the stored file, or, until it is ready, a page that shows the progress (htmx asks for the panel
every two seconds) and then offers the file. A draft's document is rendered here, cached per revision and reader.
"""

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from shenbao.applications.selectors import get_visible_application
from shenbao.audit.events import Event
from shenbao.audit.network import client_ip
from shenbao.core import ratelimit
from shenbao.core.files import generated_file_response, serve_stored_file
from shenbao.core.http import error_messages, or_404, require_permission

from .content import build_document_content
from .forms import VerificationForm
from .kinds import APPLICATION_FORM_SLUG, DocumentNotAvailable, get_document_kind, list_document_kinds
from .models import RenderedDocument
from .selectors import describe_rendering, find_rendered_document, find_served_version, find_verification
from .services import audience_of, generate_application_document, record_document_generation, resolve_document_kind
from .services_stored import ensure_document, retry_rendering

# Plaques and designation documents (授牌) carry codes of the same shape: one public page for all. Their app looks
# them up, named by dotted path and imported on use, so documents does not depend on the stage that prints it.
AWARD_VERIFICATION = "shenbao.awards.selectors.find_award_verification"


def _application_or_404(request, public_id):
    return or_404(get_visible_application, user=request.user, public_id=public_id)


def _site_url(request):
    return request.build_absolute_uri("/")


def _kind_or_404(application, document):
    try:
        return resolve_document_kind(application=application, document=document)
    except DocumentNotAvailable as exc:
        raise Http404 from exc


@require_GET
@login_required
def application_document(request, public_id, document, file_format):
    application = _application_or_404(request, public_id)
    kind = _kind_or_404(application, document)
    version = find_served_version(application=application)
    if version is None:
        generated = generate_application_document(
            application=application,
            document=kind.slug,
            file_format=file_format,
            actor=request.user,
            request=request,
            site_url=_site_url(request),
        )
        # Personal data inside: never kept by a shared cache or the browser's disk cache (never-cache headers).
        return generated_file_response(
            request, generated.content, filename=generated.filename, content_type=generated.content_type
        )
    audience = audience_of(user=request.user, application=application)
    rendered = ensure_document(version=version, document=kind.slug, file_format=file_format, audience=audience)
    if rendered.status == RenderedDocument.Status.READY:
        return serve_stored_file(
            request,
            file=rendered.file,
            filename=rendered.filename,
            content_type=rendered.content_type,
            event=Event.DOCUMENT_DOWNLOAD,
            target=application,
            details={
                "number": application.number,
                "document": kind.title,
                "format": file_format,
                "version": version.sequence,
                "rendered_at": rendered.rendered_at.isoformat() if rendered.rendered_at else "",
                "sha256": rendered.sha256,
            },
        )
    return _rendering_page(request, application, kind, rendered, "documents/rendering.html")


def _rendering_page(request, application, kind, rendered, template):
    names = {"public_id": application.public_id, "document": kind.slug}
    context = {
        "application": application,
        "kind": kind,
        "rendered": rendered,
        "progress": describe_rendering(rendered=rendered),
        "download_url": reverse(f"documents:application_{rendered.file_format}", kwargs=names),
        "progress_url": reverse("documents:rendering_progress", kwargs={**names, "file_format": rendered.file_format}),
        "retry_url": reverse("documents:rendering_retry", kwargs={**names, "file_format": rendered.file_format}),
        "may_retry": rules.has_perm("documents.retry_rendering", request.user, application),
    }
    response = render(request, template, context)
    response["Cache-Control"] = "private, no-store"
    return response


def _stored_or_404(request, public_id, document, file_format):
    """The user's own variant of a stored document of the application's served version, or 404."""
    if file_format not in RenderedDocument.Format.values:
        raise Http404
    application = _application_or_404(request, public_id)
    kind = _kind_or_404(application, document)
    version = find_served_version(application=application)
    rendered = None
    if version is not None:
        audience = audience_of(user=request.user, application=application)
        rendered = find_rendered_document(
            version=version, document=kind.slug, file_format=file_format, audience=audience
        )
    if rendered is None:
        raise Http404
    return application, kind, rendered


@require_GET
@login_required
def rendering_progress(request, public_id, document, file_format):
    """The progress panel alone, which the page's htmx asks for every two seconds until the document is ready."""
    application, kind, rendered = _stored_or_404(request, public_id, document, file_format)
    return _rendering_page(request, application, kind, rendered, "documents/_rendering.html")


@require_POST
@login_required
def rendering_retry(request, public_id, document, file_format):
    """Render a failed document again (the staff handling the application); the page then shows the progress."""
    application, kind, rendered = _stored_or_404(request, public_id, document, file_format)
    require_permission(request.user, "documents.retry_rendering", application)
    try:
        rendered = retry_rendering(rendered=rendered, actor=request.user, request=request)
    except ValidationError as error:
        for message in error_messages(error):
            messages.error(request, message)
    if request.headers.get("HX-Request"):
        return _rendering_page(request, application, kind, rendered, "documents/_rendering.html")
    return redirect(f"documents:application_{file_format}", public_id=application.public_id, document=kind.slug)


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
