"""Generating the documents of an application (申报书, 申请报告, 实施方案) as PDF, DOCX and a print view.

`render_application_pdf` / `render_application_docx` / `render_document` only render. A submitted version's
documents are rendered once by the task worker and stored (`services_stored`); what stays in the request is the
draft's: `generate_application_document` renders a draft's document for a person, keeps the bytes in the cache
under the draft's revision and the reader's audience (so a second download does not render again) and records
the rendering as "document:generate", a copy taken from the cache as "document:download".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import rules
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

from shenbao.audit.events import Event
from shenbao.audit.services import record_event

from .content import DocumentContent, build_document_content
from .kinds import SLUG_BY_TITLE, DocumentKind, get_document_kind
from .models import RenderedDocument
from .pdf import release_render_memory, render_pdf
from .word import render_docx

if TYPE_CHECKING:
    from shenbao.accounts.models import User
    from shenbao.applications.models import Application, ApplicationVersion


GENERATE_EVENT = Event.DOCUMENT_GENERATE
DOWNLOAD_EVENT = Event.DOCUMENT_DOWNLOAD
# A draft's rendered document is kept this long for the same revision and reader (a second click, the viewer).
DRAFT_CACHE_SECONDS = 15 * 60
FORMATS: dict[str, tuple[str, Callable[[DocumentContent], bytes]]] = {
    "pdf": ("application/pdf", render_pdf),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", render_docx),
}
# Characters Windows and macOS refuse in file names (a unit's name may contain any of them).
UNSAFE_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


@dataclass(frozen=True)
class GeneratedDocument:
    content: bytes
    filename: str
    content_type: str


def resolve_document_kind(*, application: Application, document: str) -> DocumentKind:
    """`document` may be a URL slug ("application-form") or a title ("申报书"); DocumentNotAvailable otherwise."""
    slug = SLUG_BY_TITLE.get(document, document)
    return get_document_kind(project_type=application.project_type, slug=slug, call=application.call)


def _content(
    *,
    application: Application,
    document: str,
    site_url: str = "",
    at: dt.datetime | None = None,
    reveal_contact: bool = False,
) -> DocumentContent:
    kind = resolve_document_kind(application=application, document=document)
    return build_document_content(
        application=application, kind=kind, site_url=site_url, at=at, reveal_contact=reveal_contact
    )


def render_application_pdf(
    *,
    application: Application,
    document: str,
    site_url: str = "",
    at: dt.datetime | None = None,
    reveal_contact: bool = False,
) -> bytes:
    """The PDF of one document of `application` (A4, embedded CJK font, cover, sections, seal boxes)."""
    return render_pdf(
        _content(application=application, document=document, site_url=site_url, at=at, reveal_contact=reveal_contact)
    )


def render_application_docx(
    *,
    application: Application,
    document: str,
    site_url: str = "",
    at: dt.datetime | None = None,
    reveal_contact: bool = False,
) -> bytes:
    """The editable DOCX of one document of `application`, with the same content as the PDF."""
    return render_docx(
        _content(application=application, document=document, site_url=site_url, at=at, reveal_contact=reveal_contact)
    )


def safe_filename(*parts: str) -> str:
    """A PDF's download name from its parts (a number, a unit's name, a title), unsafe characters replaced."""
    return "-".join(UNSAFE_FILENAME.sub("_", part).strip(" ._") for part in parts if part) + ".pdf"


def document_filename(*, application: Application, title: str, extension: str) -> str:
    """<申报编号>-<unit name>-<document title>.<extension>, safe on every desktop system."""
    unit = UNSAFE_FILENAME.sub("_", application.unit.name).strip(" ._") or "申报单位"
    return f"{application.number}-{unit}-{title}.{extension}"


def record_document_generation(
    *,
    application: Application,
    kind: DocumentKind,
    file_format: str,
    actor: User | None = None,
    request: HttpRequest | None = None,
    copies: int | None = None,
) -> None:
    details: dict[str, object] = {"number": application.number, "document": kind.title, "format": file_format}
    if copies is not None:
        details["copies"] = copies
    record_event(event=GENERATE_EVENT, actor=actor, target=application, request=request, details=details)


def audience_of(*, user: User, application: Application) -> str:
    """Which variant of a document `user` reads: the unit's own staff get the contact phones in full
    (`organisations.view_contact_phone`); reviewers, experts and departments get them masked."""
    if rules.has_perm("organisations.view_contact_phone", user, application.unit):
        return RenderedDocument.Audience.UNIT
    return RenderedDocument.Audience.OTHERS


def render_document(
    *,
    application: Application,
    kind: DocumentKind,
    file_format: str,
    audience: str,
    version: ApplicationVersion | None = None,
    site_url: str = "",
    at: dt.datetime | None = None,
) -> GeneratedDocument:
    """Render one document of `application` (of `version`'s snapshot when given) for `audience`; no audit."""
    content_type, renderer = FORMATS[file_format]
    content = build_document_content(
        application=application,
        kind=kind,
        site_url=site_url,
        at=at,
        reveal_contact=audience == RenderedDocument.Audience.UNIT,
        version=version,
    )
    filename = document_filename(application=application, title=kind.title, extension=file_format)
    return GeneratedDocument(content=renderer(content), filename=filename, content_type=content_type)


def _draft_cache_key(*, application: Application, kind: DocumentKind, file_format: str, audience: str) -> str:
    # The revision changes with every save of the form; `updated_at` with anything else saved on the application
    # (its first-review body, a copied section). Unit facts edited meanwhile show after DRAFT_CACHE_SECONDS.
    stamp = application.updated_at.timestamp() if application.updated_at else 0
    return f"documents:draft:{application.pk}:{application.revision}:{stamp}:{audience}:{kind.slug}:{file_format}"


def generate_application_document(
    *,
    application: Application,
    document: str,
    file_format: str,
    actor: User,
    request: HttpRequest | None = None,
    site_url: str = "",
) -> GeneratedDocument:
    """A document of the application's current content as `file_format` ("pdf" or "docx") for `actor`, audited.

    Rendered at most once per revision and audience while the cache keeps it: a rendering is recorded as
    "document:generate" (the verification page's 最近生成时间), a cached copy as "document:download".
    """
    kind = resolve_document_kind(application=application, document=document)
    audience = audience_of(user=actor, application=application)
    key = _draft_cache_key(application=application, kind=kind, file_format=file_format, audience=audience)
    cached = cache.get(key)
    details: dict[str, object] = {"number": application.number, "document": kind.title, "format": file_format}
    if cached is not None:
        generated, generated_at = cached
        details["generated_at"] = generated_at
        record_event(event=DOWNLOAD_EVENT, actor=actor, target=application, request=request, details=details)
        return generated
    try:
        generated = render_document(
            application=application, kind=kind, file_format=file_format, audience=audience, site_url=site_url
        )
    finally:
        release_render_memory()  # the web worker renders again later: it must not keep what this one left
    cache.set(key, (generated, timezone.now().isoformat()), DRAFT_CACHE_SECONDS)
    record_document_generation(
        application=application, kind=kind, file_format=file_format, actor=actor, request=request
    )
    return generated
