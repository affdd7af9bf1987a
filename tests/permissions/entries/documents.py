"""documents: print view, PDF and DOCX of an application (whoever sees it), and the public verification page."""

from tests.permissions.common import sees
from tests.permissions.dsl import get, public

KIND = "application.submitted"


def _document(application):
    return {"public_id": application.public_id, "document": "application-form"}


ENTRIES = [
    get("documents:print", *sees(KIND), obj=KIND),
    get("documents:application_pdf", *sees(KIND), obj=KIND, kwargs=_document, sample=2),
    get("documents:application_docx", *sees(KIND), obj=KIND, kwargs=_document, sample=2),
    # A draft's documents are the unit's alone.
    get("documents:print", *sees("application.draft"), obj="application.draft"),
    get("documents:application_pdf", *sees("application.draft"), obj="application.draft", kwargs=_document, sample=1),
    public("verify:verify", query="code=ABCD-EFGH-JKLM"),
    public("verify:code", obj="plaque", relations=("own",), kwargs=lambda plaque: {"code": plaque.verification_code}),
]
