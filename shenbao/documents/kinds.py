"""The generated documents (文书) of an application and the URL slugs that name them.

Which documents a project type has comes from its form spec (`FormSpec.documents`), so a future project type
with other paper documents needs a spec, not code here; only the slug of a new document title is added below.
"""

from dataclasses import dataclass

from shenbao.applications.sections import get_form_spec

APPLICATION_FORM = "申报书"
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
    full_title: str  # 晋城市技师工作站建设项目申报书

    @property
    def is_application_form(self):
        return self.title == APPLICATION_FORM


def _full_title(spec, title):
    # The spec's title names the 申报书; the other documents of the same project share its stem.
    return spec.title.removesuffix(APPLICATION_FORM) + title


def list_document_kinds(*, project_type):
    """The documents of a project type in print order (申报书 first)."""
    spec = get_form_spec(project_type)
    return [
        DocumentKind(slug=SLUG_BY_TITLE[title], title=title, full_title=_full_title(spec, title))
        for title in spec.documents
        if title in SLUG_BY_TITLE
    ]


def get_document_kind(*, project_type, slug):
    """The document named by `slug`, or DocumentNotAvailable when the project type has no such document."""
    for kind in list_document_kinds(project_type=project_type):
        if kind.slug == slug:
            return kind
    raise DocumentNotAvailable(slug)
