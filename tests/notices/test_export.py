"""The 公示 exported for the bureau's own website: an HTML fragment (escaped, self-contained: no script, style,
image or link) and a DOCX (title, text, the list as a table, the issuing bodies), taken by the call administrator
through the pages (logged in, CSRF on) and audited; other roles 404."""

import io
import re

import docx
import pytest
from django.urls import reverse

from shenbao.accounts.roles import Role
from shenbao.audit.models import AuditEntry
from shenbao.notices.models import PublicNotice
from shenbao.notices.publication import render_notice_fragment
from tests.factories import UserFactory
from tests.web import WebUser

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_web(call_admin, password):
    web = WebUser()
    web.log_in(call_admin.username, password)
    return web


def test_the_fragment_is_escaped_and_self_contained(published):
    notice = published.notice
    PublicNotice.objects.filter(pk=notice.pk).update(body='第一段<script>alert(1)</script>\n\n<a href="x">第二段</a>')
    notice.refresh_from_db()
    html = render_notice_fragment(notice=notice)
    assert "<script" not in html and "<a " not in html and "<style" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    attributes = {name for tag in re.findall(r"<[a-z][^<>]*>", html) for name in re.findall(r"\s([a-z-]+)=", tag)}
    assert attributes == {"class", "scope"}
    assert "<td>晋城市精工机械有限公司</td>" in html
    assert "<td>阳城县华阳机电有限公司</td>" in html
    assert "联系人：郭大勇，联系电话：2199488" in html


def test_the_administrator_downloads_both_and_each_is_audited(admin_web, published):
    notice = published.notice
    html = admin_web.get(reverse("notices:export_html", kwargs={"public_id": notice.public_id}))
    assert html.status_code == 200
    assert html["Content-Disposition"].startswith("attachment")
    assert notice.title in html.content.decode()
    response = admin_web.get(reverse("notices:export_docx", kwargs={"public_id": notice.public_id}))
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    assert document.paragraphs[0].text == notice.title
    assert document.paragraphs[0].runs[0].font.size.pt == 22
    [table] = document.tables
    assert [cell.text for cell in table.rows[0].cells] == ["序号", "单位名称", "项目类别", "所在县（市、区）"]
    assert {row.cells[1].text for row in table.rows[1:]} == {"晋城市精工机械有限公司", "阳城县华阳机电有限公司"}
    assert document.paragraphs[-2].text == notice.call.issuing_bodies[-1]
    formats = list(
        AuditEntry.objects.filter(event="notice:export")
        .order_by("pk")
        .values_list("additional_data__format", flat=True)
    )
    assert formats == ["html", "docx"]


def test_another_role_gets_404(published, password, reference):
    applicant = UserFactory(roles=[Role.APPLICANT])
    web = WebUser()
    web.log_in(applicant.username, password)
    assert web.get(reverse("notices:export_docx", kwargs={"public_id": published.notice.public_id})).status_code == 404
