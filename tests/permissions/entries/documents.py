"""documents: print view, PDF and DOCX of an application (whoever sees it), the progress of a submitted version's
stored document (whoever sees it) and its retry (the staff handling it), and the public verification page."""

from tests.permissions.common import COUNTY_SCOPE, sees, visible_but
from tests.permissions.dsl import ADMIN, CITY, CITY_DIRECT, COUNTY, DEPARTMENT, allow, get, post, public

KIND = "application.submitted"


def _document(application):
    return {"public_id": application.public_id, "document": "application-form"}


def _stored(application):
    return {**_document(application), "file_format": "pdf"}


ENTRIES = [
    get("documents:print", *sees(KIND), obj=KIND),
    get("documents:application_pdf", *sees(KIND), obj=KIND, kwargs=_document, sample=2),
    get("documents:application_docx", *sees(KIND), obj=KIND, kwargs=_document, sample=2),
    # A draft's documents are the unit's alone.
    get("documents:print", *sees("application.draft"), obj="application.draft"),
    get("documents:application_pdf", *sees("application.draft"), obj="application.draft", kwargs=_document, sample=1),
    # The submission queued the version's documents (the scenario's worker never runs): the panel shows "queued".
    get("documents:rendering_progress", *sees(KIND), obj=KIND, kwargs=_stored),
    # Seen but not theirs to act on: 403. The staff handling it may ask; a queued document is not failed, so the
    # step is refused with a message and the page is shown again (302).
    post(
        "documents:rendering_retry",
        *visible_but(
            KIND,
            403,
            allow(COUNTY, on=COUNTY_SCOPE, status=302),
            allow(DEPARTMENT, on=CITY_DIRECT, status=302),
            allow(CITY, ADMIN, status=302),
        ),
        obj=KIND,
        kwargs=_stored,
    ),
    public("verify:verify", query="code=ABCD-EFGH-JKLM"),
    public("verify:code", obj="plaque", relations=("own",), kwargs=lambda plaque: {"code": plaque.verification_code}),
]
