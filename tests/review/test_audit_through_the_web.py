"""The audit chain verifies after ordinary use of the web pages (issue: the chain hashed before auditlog's
middleware filled actor and address, so every entry written inside a request looked tampered with).

Every step goes through HTTP with the full middleware stack: a unit registers, its clerk logs in and submits, the
county reviewer logs in and passes the first review; then `manage.py audit_verify` must pass.
"""

import datetime
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from shenbao.applications.models import Application
from shenbao.applications.workflow import ApplicationStatus
from shenbao.audit.models import AuditEntry
from shenbao.review.models import FirstReviewRecord
from tests.applications.builders import IN_TIME
from tests.applications.material_files import pdf_bytes
from tests.web import WebUser, mailed_link, registration_form

from .builders import all_met

pytestmark = pytest.mark.django_db
ADDRESS = "192.0.2.44"


def audit_verify():
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


@pytest.fixture
def clock(monkeypatch):
    """The server's clock (an outside service), inside the 2022 submission window."""
    monkeypatch.setattr(timezone, "now", lambda: IN_TIME + datetime.timedelta(minutes=1))


def register(browser, password, capture):
    data = registration_form(password=password, name="晋城市链式审计精密制造有限公司", username="chained_clerk")
    with capture(execute=True):
        response = browser.post("/accounts/register/", data)
    assert "注册信息已提交" in response.content.decode()
    link = mailed_link(mail.outbox[-1].body, "/accounts/register/confirm/")
    assert browser.post(link).status_code == 302  # confirmed from the mailbox: the unit exists, its clerk is in


def test_registration_submission_and_first_review_through_the_web_keep_the_chain_whole(
    ready_draft, applicant, county_reviewer, password, clock, django_capture_on_commit_callbacks
):
    register(WebUser(remote_addr=ADDRESS), "Qinshui#2022reg", django_capture_on_commit_callbacks)

    clerk = WebUser(remote_addr=ADDRESS)
    clerk.log_in(applicant.username, password)
    response = clerk.post(reverse("applications:submit", args=[ready_draft.public_id]))
    assert response.status_code == 302

    reviewer = WebUser(remote_addr=ADDRESS)
    reviewer.log_in(county_reviewer.username, password)
    url = reverse("review:first_review", args=[ready_draft.public_id])
    seal_url = reverse("review:first_review_seal", args=[ready_draft.public_id])
    response = reviewer.post(seal_url, {"file": SimpleUploadedFile("初审意见.pdf", pdf_bytes())}, form_url=url)
    assert response.status_code == 302
    judgements = {f"judgement-{code}": item["judgement"] for code, item in all_met(ready_draft).items()}
    response = reviewer.post(url, {"action": "pass", "recommendation": "同意推荐。", **judgements})
    assert response.status_code == 302
    assert Application.objects.get(pk=ready_draft.pk).status == ApplicationStatus.RECHECK

    # The entries auditlog wrote inside these requests carry the actor and address its middleware filled in.
    filled = AuditEntry.objects.filter(
        action__in=[AuditEntry.Action.CREATE, AuditEntry.Action.UPDATE], actor=county_reviewer, remote_addr=ADDRESS
    )
    assert filled.exists()
    assert AuditEntry.objects.filter(actor=applicant, remote_addr=ADDRESS, event="workflow:submit").exists()
    assert "审计记录哈希链校验通过" in audit_verify()


PROXY = "192.0.2.1"


def test_a_first_review_decided_behind_the_proxy_happens_when_its_request_arrived(
    submitted, county_reviewer, password, monkeypatch, settings
):
    """Like a submission (tests/applications/test_deadline_boundary.py), a county's decision is dated when its
    request reached nginx (X-Request-Start from the trusted proxy), not when a busy worker got to it."""
    settings.AUDIT_TRUSTED_PROXIES = [PROXY]
    arrived = IN_TIME + datetime.timedelta(days=1, minutes=5)
    reviewer = WebUser(remote_addr=PROXY)
    reviewer.log_in(county_reviewer.username, password)
    url = reverse("review:first_review", args=[submitted.public_id])
    seal_url = reverse("review:first_review_seal", args=[submitted.public_id])
    assert reviewer.post(seal_url, {"file": SimpleUploadedFile("初审意见.pdf", pdf_bytes())}, form_url=url).status_code
    judgements = {f"judgement-{code}": item["judgement"] for code, item in all_met(submitted).items()}
    token = reviewer.csrf_token(url)
    monkeypatch.setattr(timezone, "now", lambda: arrived + datetime.timedelta(seconds=4))
    response = reviewer.client.post(
        url,
        {"csrfmiddlewaretoken": token, "action": "pass", "recommendation": "同意推荐。", **judgements},
        HTTP_X_REQUEST_START=f"t={arrived.timestamp():.3f}",
    )
    assert response.status_code == 302
    assert FirstReviewRecord.objects.get(application=submitted).at == arrived
    entry = AuditEntry.objects.get(event="workflow:first_review_pass")
    assert datetime.datetime.fromisoformat(entry.additional_data["at"]) == arrived
