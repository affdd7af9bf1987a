"""The generated documents (文书) of an application and the URL slugs that name them.

Which documents a project type has comes from its registry entry (`shenbao.calls.project_types`), so a future
project type with other paper documents needs an entry, not code here; only the slug of a new document title is
added below. Full titles come from the call's data (its city and the project type's plaque title).
"""

from dataclasses import dataclass

from shenbao.applications.sections import document_titles, title_stem
from shenbao.calls.project_types import APPLICATION_FORM

APPLICATION_FORM_SLUG = "application-form"

# URL slug → the document title used in the form specs (`Section.document`).
DOCUMENT_SLUGS = {
    APPLICATION_FORM_SLUG: APPLICATION_FORM,
    "application-report": "申请报告",
    "implementation-plan": "实施方案",
}
SLUG_BY_TITLE = {title: slug for slug, title in DOCUMENT_SLUGS.items()}


class DocumentNotAvailable(LookupError):
    """The project type has no document of that name (views answer 404)."""


@dataclass(frozen=True)
class DocumentKind:
    slug: str
    title: str  # 申报书, 申请报告, 实施方案
    full_title: str  # <city><type>建设项目申报书, from the call's data (sections.get_form_title)

    @property
    def is_application_form(self):
        return self.title == APPLICATION_FORM


def list_document_kinds(*, project_type, call=None):
    """The documents of a project type in print order (申报书 first). `call`: its call, when already loaded."""
    stem = title_stem(project_type, call=call)
    return [
        DocumentKind(slug=SLUG_BY_TITLE[title], title=title, full_title=stem + title)
        for title in document_titles(project_type)
        if title in SLUG_BY_TITLE
    ]


def get_document_kind(*, project_type, slug, call=None):
    """The document named by `slug`, or DocumentNotAvailable when the project type has no such document."""
    for kind in list_document_kinds(project_type=project_type, call=call):
        if kind.slug == slug:
            return kind
    raise DocumentNotAvailable(slug)
