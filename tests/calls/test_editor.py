"""The call editor of the 技能办 through HTTP (WebUser: real middleware, CSRF on): copy → edit → preview → publish,
field-path errors in Chinese, versions, audit and 通知变更 of a published call, the refusal and confirmation of
changes that touch applications, and the 404s of everybody else."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from shenbao.audit.models import AuditEntry
from shenbao.calls.editing import CallChangeRefused, save_call_changes
from shenbao.calls.exports import export_call_document
from shenbao.calls.models import Call, CallState, CallVersion
from shenbao.calls.services import CallFileError
from shenbao.notifications.models import Notification

from .editor_helpers import jincheng_call_admin, logged_in, other_city_call_admin, project_type_form, section_form


@pytest.fixture
def admin(reference):
    return jincheng_call_admin()


@pytest.fixture
def web(admin, password):
    return logged_in(admin, password)


def shown_errors(response):
    """The error and confirmation lists of an editor page, as text."""
    html = response.content.decode()
    return " | ".join(re.findall(r"<li>([^<]*)</li>", html) + re.findall(r'class="text-danger">([^<]*)<', html))


def editor_url(name, call, **kwargs):
    return reverse(f"calls:{name}", kwargs={"slug": call.slug, **kwargs})


def copy_to_2023(web, call):
    response = web.post(
        editor_url("editor_copy", call), {"slug": "jincheng-2023", "year": "2023", "application_number_prefix": "2023"}
    )
    assert response.status_code == 302, response.content.decode()
    return Call.objects.get(slug="jincheng-2023")


def test_copy_edit_preview_publish(web, call, admin, client):
    assert web.get(reverse("calls:editor_list")).status_code == 200
    copy = copy_to_2023(web, call)
    assert copy.state == CallState.DRAFT
    document = export_call_document(copy)
    assert document["deadline"] == "2023-12-08T23:59:59+08:00"
    assert document["title"] == call.title.replace("2022", "2023")
    assert document["project_types"][0]["construction_start"] == "2024-01-01"
    assert copy.attachments.count() == call.attachments.count()
    # A draft is not public.
    assert client.get(reverse("calls:detail", kwargs={"slug": copy.slug})).status_code == 404
    assert "jincheng-2023" not in client.get(reverse("calls:list")).content.decode()

    response = web.post(
        editor_url("editor_section", copy, section="general"),
        section_form(copy, "general", deadline="2023-12-15T17:00:00+08:00"),
    )
    assert response.status_code == 302, response.content.decode()
    form = project_type_form(copy, "workstation", quota_max="12")
    changed = "name: 申请报告（含建站计划）"  # fullwidth-ok: YAML text of the editor form
    form["materials"] = form["materials"].replace("name: 申请报告", changed)  # fullwidth-ok
    response = web.post(editor_url("editor_project_type", copy, code="workstation"), form)
    assert response.status_code == 302, response.content.decode()

    preview = web.get(editor_url("editor_preview", copy)).content.decode()
    assert "尚未发布" in preview and "申请报告（含建站计划）" in preview and "5–12个" in preview
    assert "2023年12月15日 17:00:00" in preview

    response = web.post(editor_url("editor_publish", copy), form_url=editor_url("editor_detail", copy))
    assert response.status_code == 302
    copy.refresh_from_db()
    assert copy.state == CallState.PUBLISHED
    assert CallVersion.objects.get(call=copy).number == 1
    assert AuditEntry.objects.filter(event="calls:publish", object_pk=str(copy.pk)).exists()
    public = client.get(reverse("calls:detail", kwargs={"slug": copy.slug})).content.decode()
    assert "申请报告（含建站计划）" in public and "预览" not in public


def test_validation_errors_name_the_field_path_in_chinese(web, call):
    url = editor_url("editor_project_type", call, code="workstation")
    form = project_type_form(call, "workstation")
    form["materials"] = form["materials"].replace("accepted_formats:\n  - pdf", "accepted_formats: pdf", 1)
    response = web.post(url, form)
    assert response.status_code == 400
    assert "字段 project_types[0].materials[0].accepted_formats：必须为列表" in shown_errors(response)

    response = web.post(url, project_type_form(call, "workstation", quota_min="20"))
    assert "字段 project_types[0].quota_min：拟评定数量下限不得大于上限" in shown_errors(response)

    form = project_type_form(call, "workstation")
    form["instalments"] = form["instalments"].replace("percent: '60'", "percent: '50'")
    response = web.post(url, form)
    assert "字段 project_types[0].instalments：拨付比例合计必须为100，当前为90" in shown_errors(response)
    # Nothing was written.
    assert call.project_types.get(code="workstation").quota_min == 5

    form = section_form(call, "general", deadline="2022-12-08 23:59", paper_copies="three")
    html = web.post(editor_url("editor_section", call, section="general"), form).content.decode()
    assert "字段 deadline：必须带时区（如 +08:00）" in html or "字段 deadline：必须为带时区的日期时间" in html
    assert "字段 paper_copies：必须为整数" in html

    form = project_type_form(call, "workstation")
    form["materials"] = "- code: [unclosed"
    html = web.post(editor_url("editor_project_type", call, code="workstation"), form).content.decode()
    assert "YAML 格式错误" in html


def test_a_change_of_a_published_call_is_versioned_audited_and_told(web, call, draft, applicant, password):
    response = web.post(
        editor_url("editor_project_type", call, code="workstation"),
        project_type_form(call, "workstation", quota_max="12"),
    )
    assert response.status_code == 302, response.content.decode()
    version = CallVersion.objects.get(call=call)
    assert version.summary == ["项目类别「市级技师工作站」拟评定数量上限：10 → 12"]
    assert version.document["project_types"][0]["quota_max"] == 12
    entry = AuditEntry.objects.get(event="calls:change")
    assert entry.additional_data["summary"] == version.summary
    public = web.get(reverse("calls:detail", kwargs={"slug": call.slug})).content.decode()
    assert "通知变更" in public and "拟评定数量上限：10 → 12" in public
    notification = Notification.objects.get(recipient=applicant, event="call_changed")
    assert "拟评定数量上限：10 → 12" in notification.body
    # The unit sees the notice on its application page.
    page = logged_in(applicant, password).get(reverse("applications:detail", kwargs={"public_id": draft.public_id}))
    assert "通知变更" in page.content.decode() and "拟评定数量上限：10 → 12" in page.content.decode()


def test_saving_without_a_change_makes_no_version(web, call, draft):
    response = web.post(editor_url("editor_section", call, section="review"), section_form(call, "review"))
    assert response.status_code == 302
    assert not CallVersion.objects.exists() and not Notification.objects.filter(event="call_changed").exists()


def test_a_material_tightened_after_submissions_needs_confirmation(web, call, submitted):
    form = project_type_form(call, "workstation")
    form["materials"] = form["materials"].replace("max_size_mb: 20", "max_size_mb: 10", 1)
    url = editor_url("editor_project_type", call, code="workstation")
    response = web.post(url, form)
    assert response.status_code == 400
    assert "须确认" not in response.content.decode() and "我已知悉上述影响" in response.content.decode()
    assert not CallVersion.objects.exists()
    response = web.post(url, {**form, "confirm": "1"})
    assert response.status_code == 302
    assert CallVersion.objects.get(call=call).summary[0].endswith("大小上限（MB）：20 → 10")


def test_a_material_changed_before_any_submission_needs_no_confirmation(web, call, draft):
    form = project_type_form(call, "workstation")
    form["materials"] = form["materials"].replace("max_size_mb: 20", "max_size_mb: 10", 1)
    assert web.post(editor_url("editor_project_type", call, code="workstation"), form).status_code == 302


def test_removing_a_unit_type_applications_use_is_refused(web, call, submitted):
    form = project_type_form(call, "workstation")
    form["allowed_unit_types"] = form["allowed_unit_types"].replace("enterprise\n", "")
    response = web.post(editor_url("editor_project_type", call, code="workstation"), {**form, "confirm": "1"})
    assert response.status_code == 400
    assert "不能取消该单位类型" in response.content.decode()
    assert "enterprise" in export_call_document(call)["project_types"][0]["allowed_unit_types"]


def test_removing_a_project_type_with_applications_is_refused(admin, call, draft):
    document = export_call_document(call)
    document["project_types"] = document["project_types"][1:]
    with pytest.raises(CallChangeRefused, match="已有1份申报，不能删除"):
        save_call_changes(call=call, document=document, actor=admin, confirmed=True)


def test_removing_a_material_with_uploaded_files_is_refused(admin, call, submitted):
    uploaded = submitted.materials.select_related("requirement").first().requirement
    document = export_call_document(call)
    workstation = document["project_types"][0]
    workstation["materials"] = [row for row in workstation["materials"] if row["code"] != uploaded.code]
    with pytest.raises(CallFileError, match="仍被使用"):
        save_call_changes(call=call, document=document, actor=admin, confirmed=True)
    assert call.project_types.get(code="workstation").materials.filter(code=uploaded.code).exists()
    assert not CallVersion.objects.exists()


def test_a_project_type_without_applications_is_left_out_and_one_with_applications_is_kept(web, call, draft):
    detail = editor_url("editor_detail", call)
    response = web.post(editor_url("editor_project_type_remove", call, code="workstation"), form_url=detail)
    assert response.status_code == 302
    assert call.project_types.filter(code="workstation").exists()
    assert "已有1份申报，不能删除" in web.get(detail).content.decode()

    response = web.post(editor_url("editor_project_type_remove", call, code="training_base"), form_url=detail)
    assert response.status_code == 302
    assert list(call.project_types.values_list("code", flat=True)) == ["workstation"]
    assert CallVersion.objects.get(call=call).summary == ["项目类别：删除「市级技能人才培养基地」"]


def test_the_deadline_of_a_published_call(web, open_call, draft):
    url = editor_url("editor_section", open_call, section="review")
    response = web.post(url, {**section_form(open_call, "review"), "first_review_due": ""})
    assert response.status_code == 302, shown_errors(response)
    url = editor_url("editor_section", open_call, section="general")
    beijing = datetime.timezone(datetime.timedelta(hours=8))
    past = (timezone.now() - datetime.timedelta(hours=1)).astimezone(beijing).replace(microsecond=0)
    response = web.post(url, {**section_form(open_call, "general"), "deadline": past.isoformat(), "confirm": "1"})
    assert response.status_code == 400 and "不能改为已经过去的时间" in shown_errors(response), shown_errors(response)

    earlier = (timezone.now() + datetime.timedelta(days=10)).astimezone(beijing).replace(microsecond=0)
    form = {**section_form(open_call, "general"), "deadline": earlier.isoformat()}
    response = web.post(url, form)
    assert response.status_code == 400 and "申报截止时间提前" in response.content.decode()
    assert web.post(url, {**form, "confirm": "1"}).status_code == 302

    later = earlier + datetime.timedelta(days=20)
    assert web.post(url, {**section_form(open_call, "general"), "deadline": later.isoformat()}).status_code == 302
    assert CallVersion.objects.filter(call=open_call).count() == 3


def test_another_citys_call_admin_and_other_roles_get_404(call, password, applicant):
    outsider = logged_in(other_city_call_admin(), password)
    assert outsider.get(reverse("calls:editor_list")).status_code == 200
    assert call.title not in outsider.get(reverse("calls:editor_list")).content.decode()
    for name, extra in (
        ("editor_detail", {}),
        ("editor_copy", {}),
        ("editor_section", {"section": "general"}),
        ("editor_project_type", {"code": "workstation"}),
        ("editor_preview", {}),
        ("editor_export", {}),
    ):
        assert outsider.get(editor_url(name, call, **extra)).status_code == 404, name
    token_page = reverse("calls:editor_list")
    assert outsider.post(editor_url("editor_publish", call), form_url=token_page).status_code == 404
    unit_user = logged_in(applicant, password)
    assert unit_user.get(reverse("calls:editor_list")).status_code == 404
    assert unit_user.get(editor_url("editor_detail", call)).status_code == 404


def test_a_draft_is_invisible_to_the_public_and_to_other_admins(web, call, client, password, applicant):
    copy = copy_to_2023(web, call)
    attachment = copy.attachments.first()
    assert client.get(reverse("calls:detail", kwargs={"slug": copy.slug})).status_code == 404
    assert (
        client.get(reverse("calls:attachment", kwargs={"slug": copy.slug, "code": attachment.code})).status_code == 404
    )
    assert copy.title not in client.get(reverse("core:home")).content.decode()
    outsider = logged_in(other_city_call_admin(), password)
    assert outsider.get(editor_url("editor_preview", copy)).status_code == 404
    assert web.get(editor_url("editor_preview", copy)).status_code == 200
    # No unit can start an application on a draft.
    start = reverse("applications:start", kwargs={"call_slug": copy.slug})
    assert logged_in(applicant, password).get(start).status_code == 404


def test_export_downloads_the_call_document(web, call):
    response = web.get(editor_url("editor_export", call))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="jincheng-2022.yaml"'
    text = response.content.decode()
    assert text.startswith("slug: jincheng-2022\n") and "deadline: '2022-12-08T23:59:59+08:00'" in text


def test_a_copy_with_a_taken_numbering_prefix_is_refused(web, call):
    response = web.post(
        editor_url("editor_copy", call), {"slug": "jincheng-2023", "year": "2023", "application_number_prefix": "2022"}
    )
    assert response.status_code == 400
    assert "申报编号前缀 2022 已由申报通知「jincheng-2022」使用" in response.content.decode()
    assert not Call.objects.filter(slug="jincheng-2023").exists()


def test_attachments_are_uploaded_replaced_and_renamed(web, call, client):
    upload_url = editor_url("editor_attachment_upload", call)
    form_url = editor_url("editor_section", call, section="attachments")
    word = SimpleUploadedFile("承诺书.docx", b"PK\x03\x04 a new template", content_type="application/octet-stream")
    response = web.post(upload_url, {"code": "commitment", "title": "申报单位承诺书", "file": word}, form_url=form_url)
    assert response.status_code == 302
    added = call.attachments.get(code="commitment")
    assert added.title == "申报单位承诺书" and added.file.name.endswith(".docx")
    assert CallVersion.objects.get(call=call).summary == ["附件：新增「申报单位承诺书」"]
    public = client.get(reverse("calls:attachment", kwargs={"slug": call.slug, "code": "commitment"}))
    assert b"".join(public.streaming_content) == b"PK\x03\x04 a new template"

    old_sha = call.attachments.get(code="base-implementation-plan").sha256
    newer = SimpleUploadedFile("方案.docx", b"PK\x03\x04 version two")
    data = {"code": "base-implementation-plan", "title": "晋城市技能人才培养基地建设项目实施方案", "file": newer}
    assert web.post(upload_url, data, form_url=form_url).status_code == 302
    assert call.attachments.get(code="base-implementation-plan").sha256 != old_sha
    assert CallVersion.objects.get(call=call, number=2).summary == [
        "附件「晋城市技能人才培养基地建设项目实施方案」：更换文件"
    ]

    script = SimpleUploadedFile("run.exe", b"MZ")
    page = web.post(upload_url, {"code": "tool", "title": "工具", "file": script}, form_url=form_url, follow=True)
    assert "附件格式须为" in page.content.decode()
    assert not call.attachments.filter(code="tool").exists()

    # Renamed in the section's table; the stored file stays.
    form = section_form(call, "attachments")
    changed = "title: 申报单位诚信承诺书"  # fullwidth-ok: YAML text of the editor form
    form["attachments"] = form["attachments"].replace("title: 申报单位承诺书", changed)  # fullwidth-ok
    assert web.post(form_url, form).status_code == 302
    assert call.attachments.get(code="commitment").sha256 == added.sha256


def test_a_draft_copy_does_not_become_the_latest_call_of_the_staff_pages(web, call):
    """Next year's draft is published later than the 2022 call, yet the panels, opinions and public-notice pages of
    the 技能办 keep working on the published call until the draft is published."""
    draft_call = copy_to_2023(web, call)
    assert draft_call.state == CallState.DRAFT and draft_call.published_on > call.published_on
    web.get(editor_url("editor_detail", draft_call))  # shows (and so clears) the copy's 「已复制」 message

    for name in ("experts:panels", "opinions:proposals", "notices:list"):
        response = web.get(reverse(name))
        assert response.status_code == 200, name
        html = response.content.decode()
        assert draft_call.slug not in html and draft_call.title not in html, name
    assert web.get(reverse("opinions:proposals") + f"?call={draft_call.slug}").status_code == 404
