"""Downloading documents and the print view: who may, what comes back, what is audited."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from shenbao.accounts.roles import Role
from shenbao.audit.models import AuditEntry
from shenbao.core.crypto import mask_id_number
from tests.factories import UserFactory

from .builders import mark_submitted
from .filled import MEMBER_IDS
from .helpers import docx_text, pdf_text, squeeze

pytestmark = pytest.mark.django_db


def pdf_url(application, document="application-form"):
    return reverse("documents:application_pdf", args=[application.public_id, document])


def docx_url(application, document="application-form"):
    return reverse("documents:application_docx", args=[application.public_id, document])


def print_url(application):
    return reverse("documents:print", args=[application.public_id])


def test_urls_have_the_agreed_shape(workstation_application):
    public_id = workstation_application.public_id
    assert pdf_url(workstation_application) == f"/documents/{public_id}/application-form.pdf"
    assert docx_url(workstation_application, "application-report") == f"/documents/{public_id}/application-report.docx"
    assert print_url(workstation_application) == f"/documents/{public_id}/print/"


def test_applicant_downloads_the_pdf_as_an_attachment_with_a_chinese_name(client, workstation_application):
    client.force_login(workstation_application.applicant)

    response = client.get(pdf_url(workstation_application))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    filename = f"{workstation_application.number}-晋城市金鼎精密机械制造有限公司-申报书.pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote(filename)}" in disposition
    text = squeeze(pdf_text(response.content))
    assert "晋城市金鼎精密机械制造有限公司" in text
    assert f"http://testserver/verify/{workstation_application.verification_code}/" in text


def test_applicant_downloads_the_word_form(client, workstation_application):
    client.force_login(workstation_application.applicant)

    response = client.get(docx_url(workstation_application))

    assert response.status_code == 200
    assert response["Content-Type"] == ("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    assert quote("申报书.docx") in response["Content-Disposition"]
    text = docx_text(response.content)
    assert workstation_application.number in text and "王建国" in text


@pytest.mark.parametrize(
    ("project_type_code", "document", "status"),
    [
        ("workstation", "application-report", 200),
        ("workstation", "implementation-plan", 404),
        ("training_base", "implementation-plan", 200),
        ("training_base", "application-report", 404),
        ("training_base", "no-such-document", 404),
    ],
)
def test_only_documents_of_the_project_type_exist(client, make_filled_application, project_type_code, document, status):
    application = make_filled_application(project_type_code)
    client.force_login(application.applicant)

    assert client.get(pdf_url(application, document)).status_code == status


def test_generation_is_audited(client, workstation_application):
    client.force_login(workstation_application.applicant)

    client.get(docx_url(workstation_application, "application-report"))

    entry = AuditEntry.objects.get(event="document:generate")
    assert entry.actor == workstation_application.applicant
    assert entry.object_id == workstation_application.pk
    assert entry.additional_data == {
        "number": workstation_application.number,
        "document": "申请报告",
        "format": "docx",
    }
    assert entry.remote_addr == "127.0.0.1"


def test_refused_document_is_not_audited(client, workstation_application):
    client.force_login(workstation_application.applicant)

    client.get(pdf_url(workstation_application, "implementation-plan"))

    assert not AuditEntry.objects.filter(event="document:generate").exists()


def test_anonymous_visitor_is_sent_to_log_in(client, workstation_application):
    response = client.get(pdf_url(workstation_application))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_another_units_applicant_gets_404(client, workstation_application, make_filled_application):
    other = make_filled_application("workstation", name="晋城市另一家机械有限公司")
    client.force_login(other.applicant)

    for url in (
        pdf_url(workstation_application),
        docx_url(workstation_application),
        print_url(workstation_application),
    ):
        assert client.get(url).status_code == 404


def test_reviewers_see_submitted_applications_of_their_own_county_only(client, workstation_application, reviewer_of):
    submitted = mark_submitted(workstation_application)
    own, other = reviewer_of("zezhou"), reviewer_of("chengqu")

    client.force_login(other)
    for url in (pdf_url(submitted), docx_url(submitted), print_url(submitted)):
        assert client.get(url).status_code == 404

    client.force_login(own)
    assert client.get(pdf_url(submitted)).status_code == 200
    assert client.get(print_url(submitted)).status_code == 200


def test_a_draft_is_not_shown_to_the_reviewer(client, workstation_application, reviewer_of):
    client.force_login(reviewer_of("zezhou"))

    assert client.get(pdf_url(workstation_application)).status_code == 404


def test_system_administrator_gets_404(client, workstation_application):
    from tests.factories import PlatformFactory

    admin = UserFactory(organisation=PlatformFactory(), roles=[Role.SYSTEM_ADMIN])
    client.force_login(admin)

    assert client.get(pdf_url(workstation_application)).status_code == 404


def test_print_view_repeats_the_form_for_each_paper_copy(client, workstation_application):
    client.force_login(workstation_application.applicant)

    response = client.get(print_url(workstation_application))

    assert response.status_code == 200
    content = response.content.decode()
    assert workstation_application.call.paper_copies == 3
    for number in (1, 2, 3):
        assert f"第{number}份/共3份" in content
    assert "第4份" not in content
    assert content.count('class="print-copy"') == 3
    assert content.count("晋城市技师工作站建设项目申报书</h1>") == 3
    assert "data-print" in content
    assert "documents/print.css" in content
    assert "师带徒计划" not in content  # the print view is the 申报书 only
    entry = AuditEntry.objects.get(event="document:generate")
    assert entry.additional_data["format"] == "print" and entry.additional_data["copies"] == 3


def test_print_view_masks_id_numbers(client, workstation_application):
    client.force_login(workstation_application.applicant)

    content = client.get(print_url(workstation_application)).content.decode()

    for number in MEMBER_IDS:
        assert mask_id_number(number) in content
        assert number not in content


def test_print_view_links_the_downloads_of_the_project_type(client, training_base_application):
    client.force_login(training_base_application.applicant)

    content = client.get(print_url(training_base_application)).content.decode()

    assert pdf_url(training_base_application, "implementation-plan") in content
    assert pdf_url(training_base_application, "application-report") not in content
