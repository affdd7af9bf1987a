"""Spreadsheet exports never turn user text into a formula (issue 11, point 3).

A unit registered as `=HYPERLINK(…)` and a recommendation starting with `+`, `-` or `@` reach the 初审汇总表 XLSX
through the download link as plain text cells: no `<f>` element in the sheet, the text exactly as typed.
"""

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from shenbao.core.spreadsheets import FORMULA_PREFIXES, csv_cell, workbook_bytes
from shenbao.review.services import decide_first_review
from tests.web import WebUser

from .builders import AFTER, all_met, summary_export, upload_seal

pytestmark = pytest.mark.django_db
EVIL_NAME = '=HYPERLINK("http://evil.example/","晋城市点击领取补贴")'
EVIL_RECOMMENDATION = "+cmd|' /C calc'!A0"


def sheet_xml(content):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "".join(archive.read(name).decode() for name in archive.namelist() if name.startswith("xl/worksheets/"))


def test_the_first_review_summary_keeps_a_formula_looking_unit_name_as_text(
    make_submitted, county_reviewer, call_admin_user, call, password, django_capture_on_commit_callbacks
):
    application = make_submitted(name=EVIL_NAME)
    upload_seal(application, county_reviewer)
    decide_first_review(
        application=application,
        user=county_reviewer,
        decision="pass",
        items=all_met(application),
        recommendation=EVIL_RECOMMENDATION,
        at=AFTER,
    )
    browser = WebUser()
    browser.log_in(call_admin_user.username, password)
    _job, content = summary_export(browser, django_capture_on_commit_callbacks, call)

    assert "<f>" not in sheet_xml(content)
    cells = [cell for row in load_workbook(io.BytesIO(content)).active.iter_rows() for cell in row]
    by_value = {cell.value: cell for cell in cells}
    for text in (EVIL_NAME, EVIL_RECOMMENDATION):
        assert by_value[text].data_type == "s"
        assert by_value[text].quotePrefix


@pytest.mark.parametrize("prefix", FORMULA_PREFIXES)
def test_every_formula_prefix_is_stored_as_text(prefix):
    workbook = Workbook()
    workbook.active.append([f"{prefix}1+1", 42, "普通文字", "a=b"])
    content = workbook_bytes(workbook)
    assert "<f>" not in sheet_xml(content)
    first, number, plain, inner = next(load_workbook(io.BytesIO(content)).active.iter_rows())
    assert first.value == f"{prefix}1+1" and first.data_type == "s" and first.quotePrefix
    assert number.value == 42 and number.data_type == "n"
    assert not plain.quotePrefix and not inner.quotePrefix
    assert csv_cell(f"{prefix}1+1") == f"'{prefix}1+1" and csv_cell("a=b") == "a=b" and csv_cell(None) == ""


def test_no_export_saves_a_workbook_around_the_helper():
    from pathlib import Path

    from django.conf import settings

    offenders = [
        str(path)
        for path in Path(settings.BASE_DIR, "shenbao").rglob("*.py")
        if "workbook.save(" in path.read_text(encoding="utf-8") and path.name != "spreadsheets.py"
    ]
    assert offenders == []
