"""The application form and the materials page in a real browser (issue 12, item 10): text typed into the last field
is saved 1.5 s after the last keystroke, so a reload keeps it, and leaving earlier asks first; several files chosen
at once are uploaded with a progress line each, a refused one named with its reason."""

import io

from django.core.management import call_command
from playwright.sync_api import expect

from shenbao.applications.models import Application, ApplicationMaterial
from tests.applications.material_files import pdf_bytes, png_bytes
from tests.browser.test_section_page_journey import log_in

OVERVIEW = "本单位是一家装备制造企业，拥有数控加工车间三个。"


def test_text_typed_in_the_last_field_survives_a_reload(live_server, page, transactional_db, applicant, draft):
    page.set_default_timeout(15_000)
    console_errors = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    log_in(page, live_server, applicant)
    url = f"{live_server.url}/applications/{draft.public_id}/sections/unit_profile/"
    page.goto(url)

    page.locator("#id_overview").press_sequentially(OVERVIEW, delay=20)
    status = page.locator("#autosave-status")
    expect(status).to_contain_text("已自动保存")  # 1.5 s after the last keystroke, without leaving the field
    expect(status).to_have_attribute("aria-live", "polite")
    page.reload()
    expect(page.locator("#id_overview")).to_have_value(OVERVIEW)
    assert Application.objects.get(pk=draft.pk).form_data["unit_profile"]["overview"] == OVERVIEW

    # Typing and leaving at once: the browser asks before the unsaved text is lost.
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.locator("#id_overview").press_sequentially("又一句", delay=10)
    page.close(run_before_unload=True)
    page.wait_for_timeout(300)
    assert dialogs == ["beforeunload"]
    assert console_errors == []


def test_several_files_are_uploaded_at_once_each_with_its_progress(
    live_server, page, transactional_db, applicant, draft, screenshot, tmp_path
):
    page.set_default_timeout(20_000)
    console_errors = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    log_in(page, live_server, applicant)
    page.goto(f"{live_server.url}/applications/{draft.public_id}/materials/")

    files = {"技师证书.pdf": pdf_bytes(), "获奖证书.png": png_bytes((30, 20)), "业绩材料.pdf": b"not a pdf at all"}
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    row = page.locator("#material-member-certificates")
    row.locator("input[type=file]").set_input_files([str(tmp_path / name) for name in files])
    row.get_by_role("button", name="上传", exact=True).click()

    progress = row.locator(".upload-progress")
    for name in files:
        expect(progress).to_contain_text(name)
    expect(progress.locator("progress")).to_have_count(3)
    expect(progress.locator(".text-success")).to_have_count(2)
    refused = progress.locator(".text-danger")
    expect(refused).to_contain_text("业绩材料.pdf")
    expect(refused).to_contain_text("已拒绝")
    screenshot(page)

    stored = ApplicationMaterial.objects.filter(application=draft, requirement__code="member-certificates")
    assert sorted(stored.values_list("original_name", flat=True)) == ["技师证书.pdf", "获奖证书.png"]
    progress.get_by_role("link", name="刷新文件列表").click()
    for name in ("技师证书.pdf", "获奖证书.png"):
        expect(row.get_by_role("link", name=name)).to_be_visible()
    # The refused file's answer is a 400 (which Chromium logs); nothing else went wrong.
    assert [text for text in console_errors if "status of 400" not in text] == []
    assert len(console_errors) == 1
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "校验通过" in out.getvalue()
