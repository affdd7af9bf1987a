"""The applicant downloads the 申报书 of a submitted application in a real browser while the page shows its
progress (issue 16 acceptance): the document is still queued for the task worker, the page says so and keeps
asking (htmx), the worker renders it, the page offers the file and the browser downloads it: a PDF naming the unit.
No PDF is rendered by the web server for it. Ends with `audit_verify`, like the other journeys."""

import io
import re
from pathlib import Path

from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader

from shenbao.audit.models import AuditEntry
from shenbao.documents.models import RenderedDocument
from tests.browser.test_acceptance_journey import UNIT_NAME, log_in
from tests.browser.workers import run_document_worker


def test_the_applicant_downloads_the_application_form_once_the_worker_has_rendered_it(
    page, live_server, submitted_application, screenshot
):
    application = submitted_application
    console_errors = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    log_in(page, live_server, application.created_by)
    page.goto(f"{live_server.url}/applications/{application.public_id}/")

    page.get_by_role("listitem").filter(has_text="建设项目申报书").get_by_role("link", name="下载PDF").click()

    expect(page.get_by_role("heading", name="晋城市技师工作站建设项目申报书（PDF）")).to_be_visible()
    panel = page.locator("#document-rendering")
    expect(panel).to_contain_text("排队中")
    expect(panel).to_contain_text("已排队，等待后台生成。")
    expect(panel.get_by_role("link")).to_have_count(0)
    screenshot(page, "-01-queued")
    assert set(RenderedDocument.objects.values_list("status", flat=True)) == {RenderedDocument.Status.QUEUED}

    run_document_worker()  # the task worker takes the queue while the page is open

    link = panel.get_by_role("link", name=re.compile(r"^下载 .+申报书\.pdf$"))
    expect(link).to_be_visible(timeout=15_000)  # the panel asks every two seconds
    expect(panel).to_contain_text("文书已生成，可以下载。")
    screenshot(page, "-02-ready")
    with page.expect_download() as download:
        link.click()
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"%PDF")
    text = "".join(page_.extract_text() or "" for page_ in PdfReader(io.BytesIO(data)).pages)
    assert UNIT_NAME in re.sub(r"\s+", "", text)
    assert application.verification_code in text
    assert download.value.suggested_filename == f"{application.number}-{UNIT_NAME}-申报书.pdf"

    assert not AuditEntry.objects.filter(event="document:generate").exists()  # nothing rendered in a request
    taken = AuditEntry.objects.get(event="document:download")
    assert taken.actor == application.created_by and taken.additional_data["version"] == 1
    assert console_errors == []
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "校验通过" in out.getvalue()
