"""The 初审 and 复核 pages carry the inline viewer (issue 12, item 11): the 申报书 and every current file, each through
its permission-checked download URL; the generated 申报书 answers inline for the viewer."""

import html

import pytest
from django.urls import reverse

from shenbao.accounts.roles import Role
from shenbao.applications.models import ApplicationMaterial
from shenbao.documents.models import RenderedDocument
from shenbao.documents.services_stored import run_rendering

from .builders import staff

pytestmark = pytest.mark.django_db


def form_pdf_url(application):
    kwargs = {"public_id": application.public_id, "document": "application-form"}
    return reverse("documents:application_pdf", kwargs=kwargs)


def first_review_url(application):
    return reverse("review:first_review", kwargs={"public_id": application.public_id})


def test_the_review_page_lists_the_documents_and_files_for_the_viewer(client, submitted, county_reviewer):
    client.force_login(county_reviewer)
    response = client.get(first_review_url(submitted))
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "data-file-viewer" in page
    assert "vendor/pdfjs/pdf.min.mjs" in page and "js/viewer.mjs" in page
    form_pdf = reverse(
        "documents:application_pdf", kwargs={"public_id": submitted.public_id, "document": "application-form"}
    )
    assert f'href="{form_pdf}"' in page
    for material in ApplicationMaterial.objects.filter(application=submitted, is_current=True):
        url = reverse("applications:material_download", kwargs={"material_public_id": material.public_id})
        assert f'href="{url}" download data-viewer-kind="pdf" data-viewer-name="{material.original_name}"' in page


def test_the_generated_application_form_answers_inline_for_the_viewer(client, submitted, county_reviewer):
    # The task worker has rendered the submitted version's 申报书 PDF (queued by the submission with its other
    # documents, which this test does not open).
    queued = RenderedDocument.objects.filter(
        version__application=submitted, document="application-form", file_format=RenderedDocument.Format.PDF
    )
    for rendered in queued:
        run_rendering(rendered_id=rendered.pk)
    client.force_login(county_reviewer)
    url = reverse(
        "documents:application_pdf", kwargs={"public_id": submitted.public_id, "document": "application-form"}
    )
    response = client.get(url + "?inline=1")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get(url)["Content-Disposition"].startswith("attachment;")


def test_another_countys_reviewer_gets_404_for_the_page_and_the_inline_files(client, submitted):
    other = staff("阳城县人力资源和社会保障局", Role.COUNTY_REVIEWER)
    client.force_login(other)
    assert client.get(first_review_url(submitted)).status_code == 404
    material = ApplicationMaterial.objects.filter(application=submitted, is_current=True).first()
    url = reverse("applications:material_download", kwargs={"material_public_id": material.public_id})
    assert client.get(url + "?inline=1").status_code == 404
    form_pdf = reverse(
        "documents:application_pdf", kwargs={"public_id": submitted.public_id, "document": "application-form"}
    )
    assert client.get(form_pdf + "?inline=1").status_code == 404
