"""Every download leaves the site as an attachment, with a safe file name and `X-Content-Type-Options: nosniff`.

The source scan covers every download view, present and future (a new `FileResponse` or Content-Disposition that
is not an attachment fails here); the requests check the views not already checked by their own app's tests
(materials, documents and call attachments are: tests/applications, tests/documents, tests/calls).
"""

import ast
import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from shenbao.accounts.roles import Role
from shenbao.notices.models import Objection
from shenbao.notices.objections import file_objection
from tests.applications.builders import BEIJING, make_id_number
from tests.factories import UserFactory

SOURCE = Path(settings.BASE_DIR) / "shenbao"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
WITHIN = datetime.datetime(2022, 12, 21, 10, 0, tzinfo=BEIJING)


def _python_files():
    return sorted(path for path in SOURCE.rglob("*.py") if "migrations" not in path.parts)


def _is_call_to(node, name):
    if not isinstance(node, ast.Call):
        return False
    return name in {getattr(node.func, "id", None), getattr(node.func, "attr", None)}


def _true(node):
    return isinstance(node, ast.Constant) and node.value is True


def _keyword_true(call, name, position=None):
    """`name=True` given as keyword, or as the positional argument at `position`."""
    if position is not None and len(call.args) > position:
        return _true(call.args[position])
    return any(keyword.arg == name and _true(keyword.value) for keyword in call.keywords)


def _is_attachment_value(node):
    if isinstance(node, ast.Call) and _is_call_to(node, "content_disposition_header"):
        return _keyword_true(node, "as_attachment", position=0)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.startswith("attachment")
    if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
        return str(node.values[0].value).startswith("attachment")
    return False


def download_problems(path):
    problems = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        where = f"{path}:{getattr(node, 'lineno', '?')}"
        if _is_call_to(node, "FileResponse") and not _keyword_true(node, "as_attachment"):
            problems.append(f"{where}: FileResponse without as_attachment=True")
        pairs = []
        if isinstance(node, ast.Assign):
            pairs = [(getattr(target, "slice", None), node.value) for target in node.targets]
        elif isinstance(node, ast.Dict):
            pairs = list(zip(node.keys, node.values, strict=True))
        for key, value in pairs:
            is_disposition = isinstance(key, ast.Constant) and str(key.value).lower() == "content-disposition"
            if is_disposition and not _is_attachment_value(value):
                problems.append(f"{where}: Content-Disposition that is not an attachment")
    return problems


# The one deliberate exception: the inline viewer's helper answers inline only a PDF or an image asked for with
# ?inline=1, still sandboxed (tests/applications/test_materials_inline.py); everything else stays an attachment.
INLINE_VIEWER_HELPER = SOURCE / "core" / "files.py"


def test_every_download_in_the_source_is_an_attachment():
    problems = [
        problem for path in _python_files() if path != INLINE_VIEWER_HELPER for problem in download_problems(path)
    ]
    assert problems == [], "downloads must be attachments:\n" + "\n".join(problems)


def test_the_inline_viewer_helper_has_exactly_one_inline_disposition():
    problems = download_problems(INLINE_VIEWER_HELPER)
    assert len(problems) == 1 and "Content-Disposition" in problems[0]


def test_the_scan_finds_the_known_downloads():
    text = "\n".join(path.read_text(encoding="utf-8") for path in _python_files())
    # Stored files leave through core.files (its FileResponse) and the call attachments' own view; the downloads of
    # materials, evidence, exports and generated PDFs call its two services, which the scan covers through it.
    assert len(re.findall(r"FileResponse\(", text)) >= 2
    assert len(re.findall(r"Content-Disposition", text)) >= 5
    assert len(re.findall(r"serve_(?:stored|generated)_file\(", text)) >= 10


@pytest.mark.parametrize(
    "snippet",
    [
        "FileResponse(handle, filename='x.pdf')",
        "response['Content-Disposition'] = 'inline; filename=x.pdf'",
        "response['Content-Disposition'] = content_disposition_header(as_attachment=False, filename='x')",
        "HttpResponse(data, headers={'Content-Disposition': f'inline; filename={name}'})",
    ],
)
def test_the_scan_catches_an_inline_download(tmp_path, snippet):
    probe = tmp_path / "probe.py"
    probe.write_text(snippet + "\n", encoding="utf-8")
    assert download_problems(probe)


def test_every_response_carries_nosniff():
    assert "django.middleware.security.SecurityMiddleware" in settings.MIDDLEWARE
    assert settings.SECURE_CONTENT_TYPE_NOSNIFF is True


@pytest.fixture
def _objection_throttle(settings):
    from django.core.cache import cache

    cache.clear()
    settings.SHENBAO_OBJECTION_THROTTLE = {"attempts": 50, "window": 3600}


@pytest.fixture
def objection(published, _objection_throttle):
    entry = published.notice.entries.get(application=published.first)
    evidence = SimpleUploadedFile('C:\\temp\\..\\证明"材料\r\n\u202e.pdf', PDF, content_type="text/html")
    return file_objection(
        notice=published.notice,
        entry_public_id=entry.public_id,
        filer_kind=Objection.FilerKind.PERSON,
        filer_name="王五",
        id_number=make_id_number(7),
        contact_phone="13800001234",
        content="该单位申报材料中的技师人数与实际不符，请核查。",
        remote_addr="203.0.113.9",
        at=WITHIN,
        files=[evidence],
    )


def test_objection_evidence_downloads_as_a_sanitised_attachment(client, call_admin, objection):
    evidence = objection.evidence.get()
    client.force_login(call_admin)

    response = client.get(reverse("notices:evidence_download", args=[evidence.public_id]))

    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "\r" not in disposition and "\n" not in disposition and "\\" not in disposition
    assert evidence.original_name == "证明_材料.pdf"
    assert response["Content-Type"] == "application/pdf"  # detected from the content, not the browser's claim
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_the_call_administrator_sees_the_objectors_phone_which_is_stored_encrypted(client, call_admin, objection):
    client.force_login(call_admin)

    page = client.get(reverse("notices:objection_detail", args=[objection.public_id])).content.decode()

    assert "13800001234" in page
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_phone FROM notices_objection WHERE id = %s", [objection.pk])
        assert cursor.fetchone()[0].startswith("enc:")


def test_others_cannot_reach_the_objection_or_its_evidence(client, objection):
    evidence = objection.evidence.get()
    for role in (Role.CITY_REVIEWER, Role.APPLICANT, Role.AUDIT_ADMIN):
        client.force_login(UserFactory(roles=[role]))
        assert client.get(reverse("notices:objection_detail", args=[objection.public_id])).status_code == 404
        assert client.get(reverse("notices:evidence_download", args=[evidence.public_id])).status_code == 404
