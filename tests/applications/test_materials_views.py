"""Materials over HTTP: the download (scoping, headers) and the materials page (upload, refusals, query count)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shenbao.applications.materials import get_visible_material, upload_material
from shenbao.applications.models import ApplicationMaterial
from shenbao.applications.workflow import ApplicationStatus

from . import material_files as files
from .test_materials import set_status

# --- who may see a file -------------------------------------------------------------------------------------------


def test_get_visible_material_follows_the_application_scope(world):
    material = world.upload("营业执照.pdf", files.pdf_bytes())
    assert get_visible_material(user=world.applicant_a, public_id=material.public_id) == material
    for user in (world.applicant_b, world.reviewer_b, world.reviewer_a):  # reviewer A: still a draft
        with pytest.raises(ApplicationMaterial.DoesNotExist):
            get_visible_material(user=user, public_id=material.public_id)
    set_status(world.application_a, ApplicationStatus.SUBMITTED)
    assert get_visible_material(user=world.reviewer_a, public_id=material.public_id) == material


def download_url(material):
    return reverse("applications:material_download", kwargs={"material_public_id": material.public_id})


def test_download_is_404_for_another_unit_or_county(world, client):
    material = world.upload("营业执照.pdf", files.pdf_bytes())
    set_status(world.application_a, ApplicationStatus.SUBMITTED)
    for user in (world.applicant_b, world.reviewer_b):
        client.force_login(user)
        assert client.get(download_url(material)).status_code == 404
    client.logout()
    assert client.get(download_url(material)).status_code == 302  # to the log-in page


def test_county_reviewer_downloads_only_once_submitted(world, client):
    material = world.upload("营业执照.pdf", files.pdf_bytes())
    client.force_login(world.reviewer_a)
    assert client.get(download_url(material)).status_code == 404
    set_status(world.application_a, ApplicationStatus.SUBMITTED)
    response = client.get(download_url(material))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == files.pdf_bytes()


def test_download_headers(world, client):
    # The browser claimed text/html; the response uses the type detected from the content.
    material = upload_material(
        application=world.application_a,
        requirement=world.licence,
        uploaded_file=files.upload("营业执照 副本.pdf", files.pdf_bytes(), content_type="text/html"),
        user=world.applicant_a,
    )
    client.force_login(world.applicant_a)
    response = client.get(download_url(material))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert (
        "filename*=utf-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7%20%E5%89%AF%E6%9C%AC.pdf"
        in (response["Content-Disposition"])
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    assert "no-store" in response["Cache-Control"]
    assert int(response["Content-Length"]) == material.size


def test_unknown_material_is_404(world, client):
    client.force_login(world.applicant_a)
    url = reverse("applications:material_download", kwargs={"material_public_id": world.application_a.public_id})
    assert client.get(url).status_code == 404


# --- the materials page -------------------------------------------------------------------------------------------


def page_url(application):
    return reverse("applications:materials", kwargs={"public_id": application.public_id})


def test_page_lists_requirements_with_upload_forms(world, client):
    client.force_login(world.applicant_a)
    response = client.get(page_url(world.application_a))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "营业执照或批准成立文件复印件",
        "申请报告",
        "二（一）3",
        "PDF/JPG/PNG",
        "1MB",
        "必交",
        "选交",
        "系统生成",
    ):
        assert text in html
    assert html.count('enctype="multipart/form-data"') == 4  # every uploadable requirement, not the generated one
    assert "添加文件（可上传多个）" in html  # the multi-file requirement adds files instead of replacing
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'accept=".pdf,.jpg,.jpeg,.png"' in html
    assert "尚缺必交材料" in html


def test_upload_through_the_page(world, client):
    client.force_login(world.applicant_a)
    data = {"requirement": "business-licence", "file": files.upload("营业执照.pdf", files.pdf_bytes())}
    response = client.post(page_url(world.application_a), data)
    assert response.status_code == 302
    material = ApplicationMaterial.objects.get()
    assert material.original_name == "营业执照.pdf"
    html = client.get(page_url(world.application_a)).content.decode()
    assert download_url(material) in html
    assert "已上传“营业执照.pdf”" in html


def test_refusal_is_shown_in_chinese_on_the_page(world, client):
    client.force_login(world.applicant_a)
    data = {"requirement": "business-licence", "file": files.upload("licence.pdf", files.exe_bytes())}
    response = client.post(page_url(world.application_a), data)
    assert response.status_code == 200
    assert "文件内容不是PDF/JPG/PNG，系统识别为可执行程序，已拒绝" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not ApplicationMaterial.objects.exists()


def test_page_cannot_upload_to_a_generated_requirement(world, client):
    client.force_login(world.applicant_a)
    data = {"requirement": "application-form", "file": files.upload("申报书.pdf", files.pdf_bytes())}
    response = client.post(page_url(world.application_a), data)
    assert response.status_code == 200
    assert "请选择要上传的材料类别" in response.content.decode()
    assert not ApplicationMaterial.objects.exists()


def test_remove_through_the_page(world, client):
    material = world.upload("营业执照.pdf", files.pdf_bytes())
    client.force_login(world.applicant_a)
    response = client.post(page_url(world.application_a), {"action": "remove", "material": str(material.public_id)})
    assert response.status_code == 302
    material.refresh_from_db()
    assert not material.is_current
    html = client.get(page_url(world.application_a)).content.decode()
    assert "历史文件（1个）" in html


def test_page_is_read_only_when_submitted(world, client):
    material = world.upload("营业执照.pdf", files.pdf_bytes())
    set_status(world.application_a, ApplicationStatus.SUBMITTED)
    for user in (world.applicant_a, world.reviewer_a):
        client.force_login(user)
        response = client.get(page_url(world.application_a))
        html = response.content.decode()
        assert response.status_code == 200
        assert 'type="file"' not in html
        assert download_url(material) in html
        assert "当前状态下材料只读" in html
        data = {"requirement": "business-licence", "file": files.upload("营业执照.png", files.png_bytes())}
        assert client.post(page_url(world.application_a), data).status_code == 302
    assert ApplicationMaterial.objects.count() == 1


def test_page_is_404_for_another_unit(world, client):
    client.force_login(world.applicant_b)
    assert client.get(page_url(world.application_a)).status_code == 404
    data = {"requirement": "business-licence", "file": files.upload("营业执照.pdf", files.pdf_bytes())}
    assert client.post(page_url(world.application_a), data).status_code == 404


# The whole page's queries, exactly: the same with one row as with many, so a fixed extra query fails too.
MATERIALS_PAGE_QUERIES = 9


def count_page_queries(client, application):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page_url(application))
    assert response.status_code == 200
    return len(queries)


def test_page_queries_do_not_grow_with_files(world, client):
    client.force_login(world.applicant_a)
    world.upload("营业执照.pdf", files.pdf_bytes())
    with_one = count_page_queries(client, world.application_a)
    for index in range(4):
        world.upload(f"营业执照{index}.png", files.png_bytes())
        world.upload(f"报告{index}.docx", files.docx_bytes(), to=world.report)
        world.upload(f"其他{index}.jpg", files.jpeg_bytes(), to=world.other, user=world.applicant_a)
    assert ApplicationMaterial.objects.count() == 13
    many = count_page_queries(client, world.application_a)
    assert (with_one, many) == (MATERIALS_PAGE_QUERIES, MATERIALS_PAGE_QUERIES)
