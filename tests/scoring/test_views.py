"""The expert's pages: who may open each (own assignment 200, anything else 404), the read-only application and its
files, the score form (draft, submit, refusals shown on the form, a submitted sheet immutable), the signed PDF."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from shenbao.applications.models import ApplicationMaterial
from shenbao.audit.models import AuditEntry
from shenbao.experts.models import Assignment
from shenbao.scoring.models import ScoreSheet

from .builders import scores_for, submit

pytestmark = pytest.mark.django_db
D = Decimal


def sheet_url(assignment):
    return reverse("scoring:sheet", kwargs={"public_id": assignment.public_id})


def form_data(assignment, *, material=60, defence=25, action="save", opinion="基础扎实，同意推荐。", revision=None):
    data = {"action": action, "overall_opinion": opinion}
    sheet = ScoreSheet.objects.filter(assignment=assignment).first()
    data["revision"] = str(revision if revision is not None else (sheet.revision if sheet else 0))
    for code, value in scores_for(assignment.application.project_type, material=material, defence=defence).items():
        data[f"points-{code}"] = value["points"]
        data[f"comment-{code}"] = "评语"
    return data


def expert_urls(assignment):
    material = ApplicationMaterial.objects.filter(application=assignment.application, is_current=True).first()
    return {
        "assignment": reverse("scoring:assignment", kwargs={"public_id": assignment.public_id}),
        "sheet": sheet_url(assignment),
        "material": reverse(
            "scoring:material", kwargs={"public_id": assignment.public_id, "material_public_id": material.public_id}
        ),
    }


def test_the_assigned_expert_opens_everything_of_the_assignment(client, assignments):
    first = assignments[0]
    client.force_login(first.expert)
    response = client.get(reverse("scoring:my_assignments"))
    assert response.status_code == 200
    assert first.application.number in response.content.decode()
    for name, url in expert_urls(first).items():
        response = client.get(url)
        assert response.status_code == 200, name
    page = client.get(expert_urls(first)["assignment"]).content.decode()
    assert first.application.unit.name in page
    assert "本单位是一家装备制造企业" in page  # the form content, read-only
    assert "business-licence.pdf" in page  # an uploaded file, linked through the assignment
    assert "19800101" not in page  # ID numbers stay masked


def test_the_material_download_is_the_applicants_file_sandboxed_and_audited(client, assignments):
    first = assignments[0]
    client.force_login(first.expert)
    response = client.get(expert_urls(first)["material"])
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")
    assert AuditEntry.objects.filter(event="scoring:material_download", actor=first.expert).count() == 1


def test_the_generated_application_form_as_pdf(client, assignments):
    first = assignments[0]
    client.force_login(first.expert)
    url = reverse("scoring:document", kwargs={"public_id": first.public_id, "document": "application-form"})
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert first.application.unit.name in text
    missing = reverse("scoring:document", kwargs={"public_id": first.public_id, "document": "no-such-document"})
    assert client.get(missing).status_code == 404


@pytest.mark.parametrize("who", ["other_expert", "applicant", "county_reviewer", "city_reviewer", "system_admin"])
def test_anyone_else_gets_404_for_the_assignment(client, assignments, outsiders, who):
    client.force_login(outsiders[who])
    for name, url in expert_urls(assignments[0]).items():
        assert client.get(url).status_code == 404, name


def test_a_fellow_panel_expert_and_the_administrator_get_404_too(client, assignments, call_admin_user, make_waiting):
    urls = expert_urls(assignments[0])
    for user in (assignments[1].expert, call_admin_user):
        client.force_login(user)
        for name, url in urls.items():
            assert client.get(url).status_code == 404, name
    # Another application's file through one's own assignment: 404 as well.
    other = make_waiting(name="晋城市另一家评分机械有限公司", complete=True)
    other_file = ApplicationMaterial.objects.filter(application=other).first()
    second = assignments[1]
    client.force_login(second.expert)
    url = reverse(
        "scoring:material", kwargs={"public_id": second.public_id, "material_public_id": other_file.public_id}
    )
    assert client.get(url).status_code == 404


def test_an_ended_assignment_disappears_for_its_expert(client, assignments):
    first = assignments[0]
    Assignment.objects.filter(pk=first.pk).update(status=Assignment.Status.RECUSED, ended_at="2022-12-20T10:00+08:00")
    client.force_login(first.expert)
    page = client.get(reverse("scoring:my_assignments")).content.decode()
    assert sheet_url(first) not in page  # listed only among the ended ones, without a sheet
    assert "已回避" in page
    for name, url in expert_urls(first).items():
        assert client.get(url).status_code == 404, name


@pytest.mark.parametrize("who", ["applicant", "county_reviewer", "city_reviewer", "system_admin"])
def test_the_list_is_for_experts_only(client, outsiders, who):
    client.force_login(outsiders[who])
    assert client.get(reverse("scoring:my_assignments")).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, assignments):
    for url in [reverse("scoring:my_assignments"), *expert_urls(assignments[0]).values()]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


# --- The score form ---------------------------------------------------------------------------------------------


def test_the_form_shows_the_rubric_of_the_call(client, assignments):
    client.force_login(assignments[0].expert)
    page = client.get(sheet_url(assignments[0])).content.decode()
    for text in (
        "资料审查",
        "答辩",
        "领办人及团队",
        "建站方案可行性",
        "满分70分",
        "满分30分",
        'step="0.5"',
        'max="20"',
    ):
        assert text in page


def test_saving_a_draft_then_submitting(client, assignments):
    first = assignments[0]
    client.force_login(first.expert)
    response = client.post(sheet_url(first), form_data(first, material=60, defence=25))
    assert response.status_code == 302
    sheet = ScoreSheet.objects.get(assignment=first)
    assert (sheet.status, sheet.total) == ("draft", D("85.00"))
    response = client.post(sheet_url(first), form_data(first, material=62, defence=26, action="submit"), follow=True)
    assert "评分表已提交" in response.content.decode()
    sheet.refresh_from_db()
    assert (sheet.status, sheet.total) == ("submitted", D("88.00"))


def test_refused_points_are_shown_on_their_field_and_nothing_is_saved(client, assignments):
    first = assignments[0]
    client.force_login(first.expert)
    data = form_data(first)
    data["points-leaders-team"] = "20.5"
    data["points-presentation"] = "7.25"
    response = client.post(sheet_url(first), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "「领办人及团队」的得分不能超过20分。" in page
    assert "「陈述与答辩」的得分须为0.5分的整数倍。" in page
    assert 'value="20.5"' in page  # what the expert typed stays in the form
    assert not ScoreSheet.objects.filter(assignment=first).exists()


def test_submitting_an_incomplete_sheet_names_the_missing_items(client, assignments):
    first = assignments[0]
    client.force_login(first.expert)
    data = form_data(first, action="submit")
    data["points-cooperation"] = ""
    response = client.post(sheet_url(first), data)
    assert response.status_code == 200
    assert "「与高校、科研院所合作及技术攻关能力」尚未评分。" in response.content.decode()
    assert not ScoreSheet.objects.filter(assignment=first, status="submitted").exists()


def test_a_submitted_sheet_cannot_be_changed_through_the_page(client, assignments):
    first = assignments[0]
    submit(first, material=62, defence=26)
    client.force_login(first.expert)
    page = client.get(sheet_url(first)).content.decode()
    assert "评分表已提交并锁定" in page
    assert 'name="action" value="submit"' not in page
    assert "disabled" in page
    for action in ("save", "submit"):
        response = client.post(sheet_url(first), form_data(first, material=10, defence=10, action=action))
        assert response.status_code == 409
        assert "不能再修改" in response.content.decode()
    assert ScoreSheet.objects.get(assignment=first).total == D("88.00")


def test_a_stale_tab_does_not_overwrite(client, assignments):
    first = assignments[0]
    client.force_login(first.expert)
    client.post(sheet_url(first), form_data(first, material=60, defence=25, revision=0))
    response = client.post(sheet_url(first), form_data(first, material=10, defence=10, revision=0))
    assert response.status_code == 409
    assert "已在其他窗口保存过" in response.content.decode()
    assert ScoreSheet.objects.get(assignment=first).total == D("85.00")


def test_experts_never_see_each_others_scores(client, assignments):
    submit(assignments[1], material="61.5", defence=27)  # 88.5 by the second expert
    client.force_login(assignments[0].expert)
    for url in (sheet_url(assignments[0]), reverse("scoring:my_assignments")):
        page = client.get(url).content.decode()
        assert "88.5" not in page and "61.5" not in page
    sheet = ScoreSheet.objects.get(assignment=assignments[1])
    assert client.get(reverse("scoring:sheet_pdf", kwargs={"public_id": sheet.public_id})).status_code == 404


# --- The signed score sheet PDF -----------------------------------------------------------------------------------


def pdf_text(response):
    reader = PdfReader(io.BytesIO(response.content))
    return reader, "".join(page.extract_text() for page in reader.pages)


def embedded_fonts(reader):
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            if descriptor and any(key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                fonts.add(str(font.get("/BaseFont")))
    return fonts


def test_the_signed_score_sheet_pdf(client, assignments, call_admin_user):
    first = assignments[0]
    sheet = submit(first, material=62, defence=26)
    url = reverse("scoring:sheet_pdf", kwargs={"public_id": sheet.public_id})
    for user in (first.expert, call_admin_user):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
    reader, text = pdf_text(response)
    compact = text.replace(" ", "").replace("\n", "")
    for expected in (
        "技师工作站专家评分表",
        first.application.unit.name,
        "评审专家1",  # the expert's name
        "领办人及团队",
        "陈述与答辩",
        "88",
        "评审专家（签字）",
        "日期",
    ):
        assert expected in compact, expected
    assert any("CJK" in font or "Noto" in font for font in embedded_fonts(reader))
    assert AuditEntry.objects.filter(event="document:generate", additional_data__document="专家评分表").exists()


def test_who_may_print_a_sheet(client, assignments, chair, other_city_admin, outsiders):
    draft_owner = assignments[2]
    client.force_login(draft_owner.expert)
    client.post(sheet_url(draft_owner), form_data(draft_owner))
    draft = ScoreSheet.objects.get(assignment=draft_owner)
    assert client.get(reverse("scoring:sheet_pdf", kwargs={"public_id": draft.public_id})).status_code == 404
    sheet = submit(assignments[1], material=50, defence=20)
    url = reverse("scoring:sheet_pdf", kwargs={"public_id": sheet.public_id})
    for user in (chair, other_city_admin, outsiders["other_expert"], outsiders["applicant"]):
        client.force_login(user)
        assert client.get(url).status_code == 404
