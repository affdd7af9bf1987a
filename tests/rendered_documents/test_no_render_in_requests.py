"""A submitted version's PDF never renders in a request (issue 16 acceptance; issue 18 target): a counting spy on
the two renderers (tests/rendered_documents/conftest.py `renders`: WeasyPrint's layout and python-docx's writer,
wrapped, their behaviour unchanged) counts every render made while a web request is answered. Every document kind
of both project types, in both formats, downloaded by the unit and by its reviewer through the pages: none in a
request. A draft's document does render in the request (the spy sees it), once per revision and reader."""

import pytest
from django.urls import reverse

from shenbao.applications.services import fire_transition, start_application
from shenbao.audit.models import AuditEntry
from shenbao.documents.kinds import list_document_kinds
from shenbao.documents.models import RenderedDocument
from tests.applications.builders import IN_TIME, attach_required_materials, fill_sections, training_base_sections
from tests.web import WebUser

pytestmark = pytest.mark.django_db


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def training_base_submitted(make_unit, make_applicant, base_type, django_capture_on_commit_callbacks):
    """A training base of another 城区 unit, submitted by its applicant; its documents rendered by the worker."""
    unit = make_unit(unit_type="vocational_college", name="晋城市高级技工学校")
    applicant = make_applicant(unit)
    draft = start_application(call=base_type.call, project_type=base_type, unit=unit, user=applicant, at=IN_TIME)
    draft = fill_sections(application=draft, user=applicant, sections=training_base_sections())
    attach_required_materials(application=draft, user=applicant)
    with django_capture_on_commit_callbacks(execute=True):
        return fire_transition(application=draft, name="submit", actor=applicant, at=IN_TIME), applicant


def test_no_document_of_a_submitted_version_renders_in_a_web_request(
    submit_through_pages, ready_draft, training_base_submitted, web_applicant, web_reviewer, password, renders
):
    submit_through_pages()  # the workstation, through its page; the worker renders after the request
    base, base_applicant = training_base_submitted
    base_web = WebUser(remote_addr="192.0.2.40")
    base_web.log_in(base_applicant.username, password)
    rendered_by_worker = renders.outside
    assert renders.in_request == 0
    assert rendered_by_worker == RenderedDocument.objects.count() - 8  # the training base's were rendered before

    taken = 0
    for application, own in ((ready_draft, web_applicant), (base, base_web)):
        kinds = list_document_kinds(project_type=application.project_type, call=application.call)
        assert len(kinds) == 2
        for kind in kinds:
            for file_format in ("pdf", "docx"):
                url = reverse(f"documents:application_{file_format}", args=[application.public_id, kind.slug])
                for web in (own, web_reviewer):
                    response = web.get(url)
                    assert response.status_code == 200, url
                    assert body(response).startswith(b"%PDF" if file_format == "pdf" else b"PK")
                    taken += 1

    assert taken == 16
    assert AuditEntry.objects.filter(event="document:download").count() == 16
    assert renders.in_request == 0
    assert renders.outside == rendered_by_worker


def test_a_drafts_document_renders_in_the_request_once_per_revision_and_reader(
    ready_draft, web_applicant, applicant, renders
):
    url = reverse("documents:application_pdf", args=[ready_draft.public_id, "application-form"])

    first = body(web_applicant.get(url))
    second = body(web_applicant.get(url))

    assert first.startswith(b"%PDF") and second == first
    assert renders.in_request == 1  # the spy sees a render in a request: the draft's, which is rendered there
    assert list(
        AuditEntry.objects.filter(event__startswith="document:").order_by("pk").values_list("event", flat=True)
    ) == [
        "document:generate",
        "document:download",
    ]

    # A saved section is a new revision: rendered again.
    fill_sections(
        application=ready_draft, user=applicant, sections={"research": {"record": "开展技术攻关4项", "projects": []}}
    )
    assert body(web_applicant.get(url)).startswith(b"%PDF")
    assert renders.in_request == 2
    assert not RenderedDocument.objects.exists()  # a draft's documents are never stored
