"""Application materials: upload rules, history, scoping of downloads, the materials page and its query count."""

import datetime
import hashlib
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shenbao.accounts.roles import Role
from shenbao.applications.materials import (
    MAX_FILES_PER_REQUIREMENT,
    list_current_materials,
    list_material_rows,
    missing_required_materials,
    remove_material,
    upload_material,
)
from shenbao.applications.models import Application, ApplicationMaterial
from shenbao.applications.workflow import ApplicationStatus
from shenbao.audit.models import AuditEntry
from shenbao.calls.models import Call, MaterialRequirement, ProjectType
from shenbao.core.uploads import sanitise_original_name
from tests.factories import GovernmentBodyFactory, OrganisationFactory, UserFactory, make_region_tree

from . import material_files as files

MB = 1024 * 1024


def make_project_type(*, city, slug):
    call = Call.objects.create(
        slug=slug,
        city=city,
        year=2022,
        application_number_prefix=slug.upper()[:16],
        title="2022年度申报通知",
        published_on=datetime.date(2022, 12, 2),
        submission_deadline=datetime.datetime(2022, 12, 8, 15, 59, 59, tzinfo=datetime.UTC),
        contact_name="郭大勇",
        contact_phone="2199488",
        source_file=f"calls/{slug}.yaml",
        source_sha256="0" * 64,
    )
    return ProjectType.objects.create(
        call=call,
        code="workstation",
        name="市级技师工作站",
        plaque_title="晋城市技师工作站",
        quota_min=5,
        quota_max=10,
        funding_amount=Decimal("300000.00"),
        construction_start=datetime.date(2023, 1, 1),
        construction_end=datetime.date(2024, 12, 31),
    )


def requirement(project_type, code, *, formats=("pdf", "jpg", "png"), **extra):
    values = {"name": f"材料{code}", "clause": "二（一）3", "accepted_formats": list(formats), **extra}
    return MaterialRequirement.objects.create(
        project_type=project_type, code=code, sort_order=MaterialRequirement.objects.count(), **values
    )


class World:
    """Two counties, a unit in each with its applicant and county bureau reviewer, one draft application each."""

    def __init__(self):
        city, (county_a, county_b) = make_region_tree()
        self.project_type = make_project_type(city=city, slug="materials-2022")
        pt = self.project_type
        self.form = requirement(pt, "application-form", formats=["pdf"], generated=True, name="申报书")
        self.licence = requirement(pt, "business-licence", max_size_mb=1, name="营业执照或批准成立文件复印件")
        self.report = requirement(pt, "application-report", formats=["pdf", "docx", "doc"], name="申请报告")
        self.other = requirement(pt, "other-evidence", formats=["pdf", "jpg", "png", "docx"], required=False)
        self.certificates = requirement(pt, "member-certificates", name="成员证书", allow_multiple=True, required=False)
        self.unit_a = OrganisationFactory(region=county_a)
        self.unit_b = OrganisationFactory(region=county_b)
        self.bureau_a = GovernmentBodyFactory(region=county_a)
        self.bureau_b = GovernmentBodyFactory(region=county_b)
        self.applicant_a = UserFactory(organisation=self.unit_a, roles=[Role.APPLICANT])
        self.applicant_b = UserFactory(organisation=self.unit_b, roles=[Role.APPLICANT])
        self.reviewer_a = UserFactory(organisation=self.bureau_a, roles=[Role.COUNTY_REVIEWER])
        self.reviewer_b = UserFactory(organisation=self.bureau_b, roles=[Role.COUNTY_REVIEWER])
        self.application_a = self.make_application(self.unit_a, self.bureau_a, self.applicant_a, "0001")
        self.application_b = self.make_application(self.unit_b, self.bureau_b, self.applicant_b, "0002")

    def make_application(self, unit, bureau, user, sequence):
        return Application.objects.create(
            number=f"2022-01-{sequence}",
            call=self.project_type.call,
            project_type=self.project_type,
            unit=unit,
            first_review_body=bureau,
            created_by=user,
        )

    def upload(self, name, content, *, to=None, application=None, user=None):
        return upload_material(
            application=application or self.application_a,
            requirement=to or self.licence,
            uploaded_file=files.upload(name, content),
            user=user or self.applicant_a,
        )


def set_status(application, status):
    # The state field is protected (only fire_transition moves it); tests put rows in a state directly.
    Application.objects.filter(pk=application.pk).update(status=status)
    return Application.objects.get(pk=application.pk)


def refusal(world, name, content, **kwargs):
    with pytest.raises(ValidationError) as caught:
        world.upload(name, content, **kwargs)
    return caught.value


# --- upload rules -------------------------------------------------------------------------------------------------


def test_windows_executable_named_licence_pdf_is_refused_and_the_refusal_audited(world):
    error = refusal(world, "licence.pdf", files.exe_bytes())
    assert error.messages == ["文件内容不是PDF/JPG/PNG，系统识别为可执行程序，已拒绝"]
    assert not ApplicationMaterial.objects.exists()
    entry = AuditEntry.objects.get(event="application:upload_material")
    assert entry.result == AuditEntry.Result.FAILURE
    assert entry.additional_data["reason"] == error.messages[0]


@pytest.mark.parametrize("content", [files.HTML, files.SHELL_SCRIPT, files.BATCH_SCRIPT], ids=["html", "sh", "bat"])
def test_html_or_script_renamed_pdf_is_refused(world, content):
    error = refusal(world, "营业执照.pdf", content)
    assert error.code == "content_type"
    assert "已拒绝" in error.messages[0]


@pytest.mark.parametrize(
    ("name", "content", "to", "content_type"),
    [
        ("营业执照.pdf", files.pdf_bytes(), "licence", "application/pdf"),
        ("营业执照.png", files.png_bytes(), "licence", "image/png"),
        ("营业执照.jpg", files.jpeg_bytes(), "licence", "image/jpeg"),
        (
            "申请报告.docx",
            files.docx_bytes(),
            "report",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
    ids=["pdf", "png", "jpg", "docx"],
)
def test_real_files_are_accepted_and_stored_safely(world, name, content, to, content_type):
    material = world.upload(name, content, to=getattr(world, to))
    material.refresh_from_db()
    assert (material.original_name, material.content_type, material.size) == (name, content_type, len(content))
    assert material.is_current
    assert material.sha256 == hashlib.sha256(content).hexdigest()
    extension = name.rsplit(".", 1)[1]
    assert re.fullmatch(rf"applications/materials/\d{{4}}/\d{{2}}/[0-9a-f]{{32}}\.{extension}", material.file.name)
    with material.file.open("rb") as stored:
        assert stored.read() == content
    entry = AuditEntry.objects.get(event="application:upload_material")
    assert entry.result == AuditEntry.Result.SUCCESS
    assert entry.additional_data["sha256"] == material.sha256


def test_docm_is_refused(world):
    error = refusal(world, "申请报告.docm", files.docm_bytes(), to=world.report)
    assert "启用宏的Word文档" in error.messages[0]
    error = refusal(world, "申请报告.docx", files.docm_bytes(), to=world.report)
    assert "启用宏的Word文档" in error.messages[0]


def test_png_named_pdf_is_refused(world):
    assert refusal(world, "营业执照.pdf", files.png_bytes()).code == "extension_mismatch"


def test_format_not_listed_by_the_requirement_is_refused(world):
    error = refusal(world, "营业执照.docx", files.docx_bytes())
    assert error.messages == ["本项材料只接受PDF/JPG/PNG格式，上传的文件是DOCX文档，已拒绝"]


def test_size_limit_boundary(world):
    assert world.licence.max_size_mb == 1
    material = world.upload("营业执照.jpg", files.padded_jpeg(1 * MB))
    assert material.size == MB
    error = refusal(world, "营业执照.jpg", files.padded_jpeg(1 * MB + 1))
    assert error.code == "too_large"
    assert error.messages == ["文件大小为1.00MB（1048577字节），超过本项材料的上限1MB（1048576字节），已拒绝"]
    assert ApplicationMaterial.objects.count() == 1


def test_empty_file_is_refused(world):
    assert refusal(world, "营业执照.pdf", b"").messages == ["文件为空（0字节），已拒绝"]


def test_generated_requirement_and_another_project_type_are_refused(world):
    assert refusal(world, "申报书.pdf", files.pdf_bytes(), to=world.form).code == "generated"
    other_type = make_project_type(city=world.project_type.call.city, slug="other-call")
    foreign = requirement(other_type, "business-licence")
    assert refusal(world, "营业执照.pdf", files.pdf_bytes(), to=foreign).code == "wrong_requirement"


def test_only_the_units_applicant_may_upload(world):
    for user in (world.applicant_b, world.reviewer_a):
        with pytest.raises(PermissionDenied):
            world.upload("营业执照.pdf", files.pdf_bytes(), user=user)
    assert not ApplicationMaterial.objects.exists()


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        (ApplicationStatus.DRAFT, True),
        (ApplicationStatus.RETURNED, True),
        (ApplicationStatus.SUBMITTED, False),
        (ApplicationStatus.WITHDRAWN, False),
    ],
)
def test_uploads_only_while_editable(world, status, allowed):
    application = set_status(world.application_a, status)
    if allowed:
        assert world.upload("营业执照.pdf", files.pdf_bytes(), application=application).is_current
    else:
        with pytest.raises(PermissionDenied):
            world.upload("营业执照.pdf", files.pdf_bytes(), application=application)


def test_original_name_is_sanitised():
    assert sanitise_original_name("C:\\fakepath\\营业执照.pdf") == "营业执照.pdf"
    assert sanitise_original_name("../../etc/passwd.pdf") == "passwd.pdf"
    # U+202E (right-to-left override) would show "licencefdp.exe" as "licenceexe.pdf".
    assert sanitise_original_name("licence\u202efdp.pdf\x00\n") == "licencefdp.pdf"
    assert sanitise_original_name('a<b>:c"|?*.pdf') == "a_b__c____.pdf"
    long_name = sanitise_original_name("长" * 300 + ".pdf")
    assert len(long_name) == 120 and long_name.endswith(".pdf")
    assert sanitise_original_name("..pdf") == "pdf"
    assert sanitise_original_name("") == "材料"


def test_replacing_keeps_history(world):
    first = world.upload("营业执照-旧.pdf", files.pdf_bytes())
    second = world.upload("营业执照-新.png", files.png_bytes())
    first.refresh_from_db()
    assert not first.is_current and second.is_current
    assert list(list_current_materials(application=world.application_a)) == [second]
    assert ApplicationMaterial.objects.filter(application=world.application_a).count() == 2
    with first.file.open("rb") as stored:  # the superseded file is kept, not deleted
        assert stored.read() == files.pdf_bytes()
    success = AuditEntry.objects.filter(event="application:upload_material", result="success").order_by("pk")
    assert success.last().additional_data["superseded"] == [str(first.public_id)]


def test_a_multi_file_requirement_keeps_every_upload_current(world):
    first = world.upload("张三-技师证书.pdf", files.pdf_bytes(), to=world.certificates)
    second = world.upload("李四-高级技师证书.png", files.png_bytes(), to=world.certificates)
    first.refresh_from_db()
    assert first.is_current and second.is_current
    current = list_current_materials(application=world.application_a).filter(requirement=world.certificates)
    assert set(current) == {first, second}
    rows = {row.requirement.code: row for row in list_material_rows(application=world.application_a)}
    assert [material.pk for material in rows["member-certificates"].current_files] == [second.pk, first.pk]
    assert rows["member-certificates"].history == []
    # Removing one leaves the other current.
    remove_material(material=first, user=world.applicant_a)
    assert list(current.all()) == [second]


def test_a_multi_file_requirement_is_capped(world):
    for number in range(MAX_FILES_PER_REQUIREMENT):
        world.upload(f"{number}.pdf", files.pdf_bytes(), to=world.certificates)
    error = refusal(world, "one-more.pdf", files.pdf_bytes(), to=world.certificates)
    assert f"最多上传{MAX_FILES_PER_REQUIREMENT}个文件" in error.messages[0]
    assert ApplicationMaterial.objects.filter(requirement=world.certificates).count() == MAX_FILES_PER_REQUIREMENT


def test_remove_material_keeps_the_file_in_history(world):
    material = world.upload("营业执照.pdf", files.pdf_bytes())
    assert world.licence not in missing_required_materials(application=world.application_a)
    remove_material(material=material, user=world.applicant_a)
    material.refresh_from_db()
    assert not material.is_current
    assert world.licence in missing_required_materials(application=world.application_a)
    with pytest.raises(ValidationError):
        remove_material(material=material, user=world.applicant_a)
    assert AuditEntry.objects.filter(event="application:remove_material").count() == 1


def test_remove_material_only_by_the_applicant_while_editable(world):
    material = world.upload("营业执照.pdf", files.pdf_bytes())
    with pytest.raises(PermissionDenied):
        remove_material(material=material, user=world.applicant_b)
    set_status(world.application_a, ApplicationStatus.SUBMITTED)
    with pytest.raises(PermissionDenied):
        remove_material(material=material, user=world.applicant_a)
    material.refresh_from_db()
    assert material.is_current


def test_missing_required_materials_before_and_after_uploads(world):
    application = world.application_a
    # Required and uploadable only: the generated 申报书 and the optional evidence are never "missing".
    assert missing_required_materials(application=application) == [world.licence, world.report]
    world.upload("营业执照.pdf", files.pdf_bytes())
    assert missing_required_materials(application=application) == [world.report]
    world.upload("申请报告.docx", files.docx_bytes(), to=world.report)
    assert missing_required_materials(application=application) == []
    # Another unit's files do not count for this one.
    assert missing_required_materials(application=world.application_b) == [world.licence, world.report]
