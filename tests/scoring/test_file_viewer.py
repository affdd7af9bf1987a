"""The score sheet page carries the inline viewer (issue 12, item 11) through the expert's own download URLs, which
answer inline for it; another expert gets 404."""

import pytest
from django.urls import reverse

from shenbao.applications.models import ApplicationMaterial

pytestmark = pytest.mark.django_db


def material_url(assignment):
    material = ApplicationMaterial.objects.filter(application=assignment.application, is_current=True).first()
    kwargs = {"public_id": assignment.public_id, "material_public_id": material.public_id}
    return reverse("scoring:material", kwargs=kwargs)


def test_the_sheet_page_lists_the_experts_own_file_urls(client, assignments):
    first = assignments[0]
    client.force_login(first.expert)
    page = client.get(reverse("scoring:sheet", kwargs={"public_id": first.public_id})).content.decode()
    assert "data-file-viewer" in page
    assert f'href="{material_url(first)}"' in page
    document = reverse("scoring:document", kwargs={"public_id": first.public_id, "document": "application-form"})
    assert f'href="{document}"' in page


def test_the_expert_reads_inline_and_another_expert_gets_404(client, assignments):
    first, second = assignments[0], assignments[1]
    client.force_login(first.expert)
    response = client.get(material_url(first) + "?inline=1")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(second.expert)
    assert client.get(material_url(first) + "?inline=1").status_code == 404
