"""The inline viewer (issue 12, item 11) in a real browser: the county reviewer opens the 初审 page, clicks a
material and reads the PDF beside the checklist (drawn by the vendored PDF.js, with its text layer), then an image;
the expert sees the same viewer beside the score sheet. No console error (the CSP allows the module worker)."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from playwright.sync_api import expect
from weasyprint import HTML

from shenbao.applications.models import ApplicationMaterial
from shenbao.audit.models import AuditEntry
from tests.applications.material_files import png_bytes
from tests.browser.test_acceptance_journey import log_in

PDF_TEXT = "技师工作站场地证明"


def chinese_pdf():
    """A real PDF with Chinese text in an embedded (subset) font, as the documents the units upload."""
    html = f"<html lang='zh-CN'><body style=\"font-family: 'Noto Sans CJK SC'\"><h1>{PDF_TEXT}</h1><p>第二页见后。</p>"
    html += "<p style='break-before: page'>第二页</p></body></html>"
    return HTML(string=html).write_pdf()


def replace_file(material, content, *, name, content_type):
    material.file.save(name, ContentFile(content), save=False)
    material.original_name = name
    material.content_type = content_type
    material.size = len(content)
    material.save()


@pytest.fixture
def viewer_world(transactional_db, submitted, county_reviewer):
    files = list(ApplicationMaterial.objects.filter(application=submitted, is_current=True).order_by("pk"))
    replace_file(files[0], chinese_pdf(), name="场地证明.pdf", content_type="application/pdf")
    replace_file(files[1], png_bytes((40, 30)), name="场地照片.png", content_type="image/png")
    return {"application": submitted, "reviewer": county_reviewer}


def test_reviewer_reads_a_material_beside_the_checklist(page, live_server, viewer_world, screenshot):
    console_errors = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    application = viewer_world["application"]
    log_in(page, live_server, viewer_world["reviewer"])

    page.goto(f"{live_server.url}/review/{application.public_id}/")
    viewer = page.locator("[data-file-viewer]")
    expect(viewer.get_by_role("heading", name="申报书与申报材料")).to_be_visible()
    viewer.get_by_role("link", name="场地证明.pdf").click()

    sheet = viewer.locator(".file-viewer-page[data-rendered=true]")
    expect(sheet).to_be_visible(timeout=20_000)
    box = sheet.locator("canvas").bounding_box()
    assert box["width"] > 100 and box["height"] > 100
    expect(sheet.locator(".textLayer")).to_contain_text(PDF_TEXT)
    expect(viewer.get_by_text("第 1 / 2 页")).to_be_visible()
    # PDF.js runs in its module worker (the CSP's script-src 'self' allows it), not in the page's "fake worker".
    assert any("pdf.worker.min.mjs" in worker.url for worker in page.workers)
    # The viewer sits beside the checklist on a wide screen.
    checklist = page.locator("table.checklist").bounding_box()
    assert box["x"] > checklist["x"] + checklist["width"] - 1
    screenshot(page)

    viewer.get_by_role("button", name="下一页").click()
    expect(viewer.get_by_text("第 2 / 2 页")).to_be_visible(timeout=20_000)
    expect(viewer.locator(".textLayer")).to_contain_text("第二页")

    viewer.get_by_role("link", name="场地照片.png").click()
    image = viewer.get_by_role("img", name="场地照片.png")
    expect(image).to_be_visible()
    assert image.evaluate("element => element.naturalWidth") == 40

    assert console_errors == []
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "校验通过" in out.getvalue()
    # Each file read in the viewer is on record (who, which file).
    assert AuditEntry.objects.filter(event="application:material_download", actor=viewer_world["reviewer"]).exists()
