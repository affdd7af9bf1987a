"""四 纸质材料: the 技能办 records the delivered paper copies, the unit uploads the signed and sealed 申报书 (PDF);
in which states each is allowed, what is checked and audited, and where both are shown."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from shenbao.applications.models import Application, PaperCopyReceipt, SignedScan
from shenbao.applications.paper import record_paper_receipt, upload_signed_scan
from shenbao.applications.workflow import ApplicationStatus as S
from shenbao.audit.models import AuditEntry
from tests.web import WebUser

from .material_files import pdf_bytes, png_bytes

RECEIVING = [S.SUBMITTED, S.RETURNED, S.RECHECK, S.EXPERT_REVIEW]
NOT_RECEIVING = [S.WITHDRAWN, S.REJECTED, S.SOLICITING, S.NOT_SELECTED, S.AWARDED]
SCANNING = [S.DRAFT, S.SUBMITTED, S.RETURNED]
NOT_SCANNING = [S.RECHECK, S.EXPERT_REVIEW, S.WITHDRAWN, S.REJECTED]


def in_state(application, status):
    Application.objects.filter(pk=application.pk).update(status=status)
    return Application.objects.select_related("call").get(pk=application.pk)


def receive(application, user, **overrides):
    values = {"received_on": datetime.date(2022, 12, 8), "receiver": "王五", "copies": 3, **overrides}
    return record_paper_receipt(application=application, user=user, **values)


def scan_file(name="申报书签字盖章.pdf", content=None):
    return SimpleUploadedFile(name, pdf_bytes() if content is None else content)


@pytest.mark.parametrize("status", RECEIVING)
def test_the_administrator_records_copies_while_the_application_is_being_reviewed(submitted, call_admin_user, status):
    receipt = receive(in_state(submitted, status), call_admin_user)
    assert (receipt.copies, receipt.receiver, receipt.recorded_by) == (3, "王五", call_admin_user)
    entry = AuditEntry.objects.filter(event="application:paper_receipt").get()
    assert entry.additional_data["copies"] == 3 and entry.additional_data["required"] == 3


@pytest.mark.parametrize("status", [S.DRAFT, *NOT_RECEIVING])
def test_no_copies_are_recorded_before_submission_or_once_out_of_review(draft, call_admin_user, status):
    with pytest.raises(PermissionDenied):
        receive(in_state(draft, status), call_admin_user)
    assert not PaperCopyReceipt.objects.exists()


def test_only_the_administrator_records_copies(submitted, applicant, county_reviewer, hr_reviewer):
    for user in (applicant, county_reviewer, hr_reviewer):
        with pytest.raises(PermissionDenied):
            receive(submitted, user)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"copies": 0}, "copies"),
        ({"copies": 21}, "copies"),
        ({"receiver": "  "}, "receiver"),
        ({"received_on": datetime.date(2022, 12, 1)}, "received_on"),  # before the call was published
        ({"received_on": timezone.localdate() + datetime.timedelta(days=1)}, "received_on"),
    ],
)
def test_a_receipt_with_impossible_values_is_refused(submitted, call_admin_user, overrides, field):
    with pytest.raises(ValidationError) as caught:
        receive(submitted, call_admin_user, **overrides)
    assert field in caught.value.message_dict
    assert not PaperCopyReceipt.objects.exists()


def test_the_boundaries_of_a_receipt_are_accepted(submitted, call_admin_user):
    receive(submitted, call_admin_user, copies=1, received_on=datetime.date(2022, 12, 2))
    receive(submitted, call_admin_user, copies=20, received_on=timezone.localdate())
    assert PaperCopyReceipt.objects.count() == 2


@pytest.mark.parametrize("status", SCANNING)
def test_the_unit_uploads_its_signed_scan_until_the_first_review_decides(draft, applicant, status):
    scan = upload_signed_scan(application=in_state(draft, status), uploaded_file=scan_file(), user=applicant)
    assert scan.is_current and scan.content_type == "application/pdf" and len(scan.sha256) == 64
    assert AuditEntry.objects.filter(event="application:upload_signed_scan", result="success").exists()


@pytest.mark.parametrize("status", NOT_SCANNING)
def test_no_scan_is_replaced_after_the_first_review(draft, applicant, status):
    with pytest.raises(PermissionDenied):
        upload_signed_scan(application=in_state(draft, status), uploaded_file=scan_file(), user=applicant)
    assert not SignedScan.objects.exists()
    assert AuditEntry.objects.filter(event="application:upload_signed_scan", result="failure").exists()


def test_only_a_pdf_is_taken_and_a_newer_scan_supersedes_the_older(draft, applicant, county_reviewer):
    with pytest.raises(ValidationError):
        upload_signed_scan(application=draft, uploaded_file=scan_file("扫描.png", png_bytes()), user=applicant)
    first = upload_signed_scan(application=draft, uploaded_file=scan_file(), user=applicant)
    second = upload_signed_scan(application=draft, uploaded_file=scan_file("第二次.pdf"), user=applicant)
    first.refresh_from_db()
    assert (first.is_current, second.is_current) == (False, True)
    with pytest.raises(PermissionDenied):
        upload_signed_scan(application=draft, uploaded_file=scan_file(), user=county_reviewer)


def test_through_the_web_the_administrator_records_and_the_unit_uploads(
    submitted, applicant, call_admin_user, county_reviewer, password, client
):
    detail = reverse("applications:detail", args=[submitted.public_id])
    admin = WebUser()
    admin.log_in(call_admin_user.username, password)
    response = admin.post(
        reverse("applications:paper_receipt", args=[submitted.public_id]),
        {"received_on": "2022-12-08", "receiver": "王五", "copies": "3", "note": "密封完好"},
        form_url=detail,
    )
    assert response.status_code == 302 and response.url == detail
    assert "纸质材料 3/3 份" in admin.get(detail).content.decode()

    unit = WebUser()
    unit.log_in(applicant.username, password)
    page = unit.get(detail).content.decode()
    assert "纸质材料 3/3 份" in page and "王五" in page and 'name="received_on"' not in page
    response = unit.post(
        reverse("applications:signed_scan_upload", args=[submitted.public_id]),
        {"file": scan_file()},
        form_url=detail,
    )
    assert response.status_code == 302
    scan = SignedScan.objects.get()
    assert "申报书签字盖章.pdf" in unit.get(detail).content.decode()
    download = unit.get(reverse("applications:signed_scan_download", args=[scan.public_id]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"

    client.force_login(county_reviewer)
    queue = client.get(reverse("review:first_review_queue")).content.decode()
    assert "纸质材料 3/3 份" in queue and "已传扫描件" in queue
