"""The inline viewer's file URLs over HTTP (issue 12, item 11): `?inline=1` answers PDFs and images inline, never
other types; still scoped (another county's reviewer: 404), sandboxed, nosniff, never cached and audited."""

import pytest
from django.urls import reverse

from shenbao.applications.workflow import ApplicationStatus
from shenbao.audit.models import AuditEntry

from . import material_files as files
from .test_materials import set_status


def inline_url(material):
    return reverse("applications:material_download", kwargs={"material_public_id": material.public_id}) + "?inline=1"


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [("营业执照.pdf", files.pdf_bytes(), "application/pdf"), ("营业执照.png", files.png_bytes(), "image/png")],
)
def test_the_reviewer_reads_a_pdf_or_image_inline(world, client, name, content, content_type):
    material = world.upload(name, content)
    set_status(world.application_a, ApplicationStatus.SUBMITTED)
    client.force_login(world.reviewer_a)
    response = client.get(inline_url(material))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == content
    entry = AuditEntry.objects.get(event="application:material_download", actor=world.reviewer_a)
    assert entry.additional_data["file"] == name


def test_other_types_stay_attachments_even_when_asked_inline(world, client):
    material = world.upload("申请报告.docx", files.docx_bytes(), to=world.report)
    client.force_login(world.applicant_a)
    response = client.get(inline_url(material))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")


def test_a_plain_download_stays_an_attachment(world, client):
    material = world.upload("营业执照.pdf", files.pdf_bytes())
    client.force_login(world.applicant_a)
    response = client.get(inline_url(material).removesuffix("?inline=1"))
    assert response["Content-Disposition"].startswith("attachment;")


def test_another_countys_reviewer_or_unit_gets_404_inline_too(world, client):
    material = world.upload("营业执照.pdf", files.pdf_bytes())
    set_status(world.application_a, ApplicationStatus.SUBMITTED)
    for user in (world.reviewer_b, world.applicant_b):
        client.force_login(user)
        assert client.get(inline_url(material)).status_code == 404
    client.logout()
    assert client.get(inline_url(material)).status_code == 302  # to the log-in page
    assert not AuditEntry.objects.filter(event="application:material_download").exists()
