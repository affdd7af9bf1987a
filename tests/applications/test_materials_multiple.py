"""Several files in one upload (issue 12, item 10) through HTTP with CSRF on: where the requirement allows several,
each file goes through the one upload pipeline with its own checks and its own error; uploads.js's one-file requests
answer JSON."""

import pytest
from django.urls import reverse

from shenbao.applications.models import ApplicationMaterial
from shenbao.audit.models import AuditEntry
from tests.web import WebUser

from . import material_files as files

PASSWORD = "Test#pass2022"


@pytest.fixture
def web(world):
    user = WebUser()
    user.log_in(world.applicant_a.username, PASSWORD)
    return user


def page_url(application):
    return reverse("applications:materials", kwargs={"public_id": application.public_id})


def test_the_page_offers_multiple_selection_only_where_several_files_are_allowed(world, web):
    html = web.get(page_url(world.application_a)).content.decode()
    assert html.count(" multiple") == 1
    assert 'id="file-member-certificates"' in html.split(" multiple")[0].rsplit("<input", 1)[1]
    assert "js/uploads.js" in html


def test_several_files_in_one_post_each_checked_and_named_in_its_error(world, web):
    url = page_url(world.application_a)
    chosen = [
        files.upload("技师证书.pdf", files.pdf_bytes()),
        files.upload("伪装.pdf", files.exe_bytes()),
        files.upload("获奖证书.png", files.png_bytes()),
    ]
    response = web.post(url, {"requirement": "member-certificates", "file": chosen})
    assert response.status_code == 200
    html = response.content.decode()
    assert "“伪装.pdf”：文件内容不是" in html
    stored = ApplicationMaterial.objects.filter(requirement=world.certificates, is_current=True)
    assert sorted(stored.values_list("original_name", flat=True)) == ["技师证书.pdf", "获奖证书.png"]
    refusals = AuditEntry.objects.filter(event="application:upload_material", result=AuditEntry.Result.FAILURE)
    assert refusals.count() == 1


def test_all_accepted_redirects_and_announces_each(world, web):
    url = page_url(world.application_a)
    chosen = [files.upload("一.pdf", files.pdf_bytes()), files.upload("二.png", files.png_bytes())]
    response = web.post(url, {"requirement": "member-certificates", "file": chosen})
    assert response.status_code == 302
    html = web.get(url).content.decode()
    assert "已上传“一.pdf”" in html and "已上传“二.png”" in html


def test_a_single_file_requirement_refuses_several_files(world, web):
    chosen = [files.upload("一.pdf", files.pdf_bytes()), files.upload("二.pdf", files.pdf_bytes())]
    response = web.post(page_url(world.application_a), {"requirement": "business-licence", "file": chosen})
    assert response.status_code == 200
    assert "只能上传一个文件" in response.content.decode()
    assert not ApplicationMaterial.objects.exists()


def test_one_file_per_request_answers_json(world, web):
    url = page_url(world.application_a)
    json = {"headers": {"Accept": "application/json"}}
    accepted = web.post(
        url, {"requirement": "member-certificates", "file": files.upload("一.pdf", files.pdf_bytes())}, **json
    )
    assert accepted.status_code == 200
    assert accepted.json() == {"ok": True, "name": "一.pdf"}
    oversized = files.upload("大.jpg", files.padded_jpeg(1024 * 1024 + 1))
    refused = web.post(url, {"requirement": "business-licence", "file": oversized}, **json)
    assert refused.status_code == 400
    assert refused.json()["name"] == "大.jpg"
    assert "超过本项材料的上限1MB" in refused.json()["errors"][0]
