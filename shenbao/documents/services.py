"""Generating the documents of an application (申报书, 申请报告, 实施方案) as PDF, DOCX and a print view.

`render_application_pdf` / `render_application_docx` only render; `generate_application_document` is what the
views call: it renders and records the generation in the audit trail (event "document:generate").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import rules
from django.http import HttpRequest

from shenbao.audit.events import Event
from shenbao.audit.services import record_event

from .content import DocumentContent, build_document_content
from .kinds import SLUG_BY_TITLE, DocumentKind, get_document_kind
from .pdf import render_pdf
from .word import render_docx

if TYPE_CHECKING:
    from shenbao.accounts.models import User
    from shenbao.applications.models import Application


GENERATE_EVENT = Event.DOCUMENT_GENERATE
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


def generate_application_document(
    *,
    application: Application,
    document: str,
    file_format: str,
    actor: User,
    request: HttpRequest | None = None,
    site_url: str = "",
) -> GeneratedDocument:
    """Render one document as `file_format` ("pdf" or "docx") and audit the generation."""
    content_type, renderer = FORMATS[file_format]
    # The unit's own staff get its contact phone in full; reviewers and experts see it masked.
    reveal_contact = rules.has_perm("organisations.view_contact_phone", actor, application.unit)
    content = _content(application=application, document=document, site_url=site_url, reveal_contact=reveal_contact)
    data = renderer(content)
    record_document_generation(
        application=application, kind=content.kind, file_format=file_format, actor=actor, request=request
    )
    filename = document_filename(application=application, title=content.kind.title, extension=file_format)
    return GeneratedDocument(content=data, filename=filename, content_type=content_type)
