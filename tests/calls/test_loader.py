"""Loading call files: the real 2022 call, idempotency, a new year's call without code, attachments."""

import datetime
import shutil
from decimal import Decimal
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from shenbao.audit.models import AuditEntry
from shenbao.calls.models import (
    Call,
    CallAttachment,
    EligibilityRule,
    Instalment,
    MaterialRequirement,
    ProjectType,
    RubricItem,
)
from shenbao.calls.services import load_call_file
from shenbao.organisations.models import UnitType
from tests.paths import CALL_TEST_DATA, JINCHENG_2022

from .helpers import jincheng_data, write_call_file

ALL = (Call, ProjectType, Instalment, EligibilityRule, MaterialRequirement, RubricItem, CallAttachment, UnitType)


def counts():
    return {model.__name__: model.objects.count() for model in ALL}


def test_the_2022_call_has_everything_the_notice_says(jincheng_call):
    call = Call.objects.get(slug="jincheng-2022")
    assert call.title == "关于开展2022年市级技师工作站和技能人才培养基地申报和评审工作的通知"
    assert call.city.key == "140500"
    assert call.issuing_bodies == ["中共晋城市委组织部", "晋城市人力资源和社会保障局"]
    assert call.published_on == datetime.date(2022, 12, 2)
    assert call.submission_deadline == datetime.datetime(2022, 12, 8, 15, 59, 59, tzinfo=datetime.UTC)
    assert (call.paper_copies, call.contact_name, call.contact_phone) == (3, "郭大勇", "2199488")
    assert call.submission_address == "市人社局技能办（市人社局201室）"
    assert call.recheck_bodies == ["city_org_department", "city_hr_bureau"] and call.recheck_requires_all
    assert call.consulted_functions == ["competent_department", "tax_bureau"]
    assert (call.score_aggregation, call.notice_working_days, call.notice_counting) == (
        "trimmed_mean",
        5,
        "first_day_counts",
    )
    assert "12月8日前" in call.body
    assert call.source_file == "calls/jincheng-2022.yaml" and len(call.source_sha256) == 64

    workstation = call.project_types.get(code="workstation")
    assert workstation.funding_amount == Decimal("300000.00")
    assert (workstation.quota_min, workstation.quota_max) == (5, 10)
    assert workstation.construction_start == datetime.date(2023, 1, 1)
    assert workstation.construction_end == datetime.date(2024, 12, 31)
    assert sorted(workstation.allowed_unit_types.values_list("code", flat=True)) == [
        "enterprise",
        "industry_association",
        "public_training_base",
        "research_institution",
        "skill_training_base",
    ]
    assert [(i.code, i.percent, i.trigger) for i in workstation.instalments.all()] == [
        ("startup", Decimal("40"), "designation"),
        ("final", Decimal("60"), "acceptance_passed"),
    ]
    members = workstation.eligibility_rules.get(metric="qualified_member_count")
    assert (members.clause, members.operator, members.threshold) == ("一（一）1", ">=", Decimal("3"))
    for rubric in ("selection", "acceptance"):
        assert sum(item.max_points for item in workstation.rubric_items.filter(rubric=rubric)) == 100
    material_points = sum(i.max_points for i in workstation.rubric_items.filter(rubric="selection", group="material"))
    assert material_points == 70

    base = call.project_types.get(code="training_base")
    assert base.funding_amount == Decimal("200000.00")
    partners = base.eligibility_rules.get(metric="partner_enterprise_count")
    assert sorted(partners.applies_to_unit_types.values_list("code", flat=True)) == [
        "technician_college",
        "training_institution",
        "vocational_college",
    ]
    assert base.eligibility_rules.get(metric="annual_trainee_count").applies_to_unit_types.count() == 0
    generated = base.materials.filter(generated=True).values_list("code", flat=True)
    assert sorted(generated) == ["application-form", "implementation-plan"]
    assert call.attachments.count() == 3


def test_materials_say_which_are_generated_and_which_take_several_files(jincheng_call):
    materials = {
        (material.project_type.code, material.code): material
        for material in MaterialRequirement.objects.filter(project_type__call=jincheng_call).select_related(
            "project_type"
        )
    }
    generated = {key for key, material in materials.items() if material.generated}
    several = {key for key, material in materials.items() if material.allow_multiple}
    # The 申报书, 申请报告 and 实施方案 are produced from the online form (二(一)1-2, 二(二)1-2).
    assert generated == {
        ("workstation", "application-form"),
        ("workstation", "application-report"),
        ("training_base", "application-form"),
        ("training_base", "implementation-plan"),
    }
    assert several == {
        ("workstation", "member-certificates"),
        ("workstation", "other-evidence"),
        ("training_base", "evidence"),
    }


def test_loading_twice_changes_nothing(jincheng_call):
    before = counts()
    attachments = list(CallAttachment.objects.order_by("code").values_list("code", "file", "sha256"))
    audit_rows = AuditEntry.objects.count()
    loaded_at = Call.objects.get().loaded_at

    again = load_call_file(path=JINCHENG_2022)

    assert again.pk == jincheng_call.pk
    assert again.changes == []
    assert counts() == before
    assert list(CallAttachment.objects.order_by("code").values_list("code", "file", "sha256")) == attachments
    assert AuditEntry.objects.count() == audit_rows
    assert Call.objects.get().loaded_at == loaded_at


def test_attachments_are_copied_into_storage(jincheng_call):
    attachment = jincheng_call.attachments.get(code="workstation-application-form")
    source = JINCHENG_2022.parent / "jincheng-2022" / "workstation-application-form.docx"
    with default_storage.open(attachment.file.name, "rb") as stored:
        assert stored.read() == source.read_bytes()


@pytest.fixture
def call_copy(tmp_path):
    """The 2022 call file with its attachments in a scratch directory, so tests can change them."""
    shutil.copytree(JINCHENG_2022.parent / "jincheng-2022", tmp_path / "jincheng-2022")
    return tmp_path


def test_a_changed_attachment_is_copied_again_and_others_are_not(
    jincheng_city, call_copy, django_capture_on_commit_callbacks
):
    data = jincheng_data()
    path = write_call_file(call_copy, data)
    load_call_file(path=path)
    before = dict(CallAttachment.objects.values_list("code", "file"))

    (call_copy / "jincheng-2022" / "base-application-form.docx").write_bytes(b"new version")
    # The replaced copy is removed only once the transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        call = load_call_file(path=path)

    after = dict(CallAttachment.objects.values_list("code", "file"))
    assert after["workstation-application-form"] == before["workstation-application-form"]
    assert after["base-application-form"] != before["base-application-form"]
    changed = call.attachments.get(code="base-application-form")
    with default_storage.open(changed.file.name, "rb") as stored:
        assert stored.read() == b"new version"
    assert not default_storage.exists(before["base-application-form"])


def test_children_no_longer_in_the_file_are_deleted_and_values_updated(jincheng_city, call_copy):
    data = jincheng_data()
    first = load_call_file(path=write_call_file(call_copy, data))

    workstation = data["project_types"][0]
    workstation["materials"] = [m for m in workstation["materials"] if m["code"] != "other-evidence"]
    workstation["funding_amount"] = "350000.00"
    data["attachments"] = data["attachments"][:1]
    data["project_types"] = [workstation]
    call = load_call_file(path=write_call_file(call_copy, data))

    assert call.source_sha256 != first.source_sha256
    assert Call.objects.get().loaded_at > first.loaded_at
    assert list(call.project_types.values_list("code", flat=True)) == ["workstation"]
    assert call.project_types.get().funding_amount == Decimal("350000.00")
    assert not MaterialRequirement.objects.filter(code="other-evidence").exists()
    assert list(call.attachments.values_list("code", flat=True)) == ["workstation-application-form"]
    assert ProjectType.objects.count() == 1
    assert RubricItem.objects.count() == 14


def test_a_new_years_call_loads_without_code(jincheng_call):
    call = load_call_file(path=CALL_TEST_DATA / "example-2023.yaml")

    assert (call.slug, call.year, call.score_aggregation) == ("skills-2023", 2023, "median")
    assert call.city.key == "140500"
    assert call.contact_phone == "0356-2199000"
    project_type = call.project_types.get()
    assert project_type.funding_amount == Decimal("250000.00")
    assert list(project_type.allowed_unit_types.values_list("code", flat=True).order_by("code")) == [
        "enterprise",
        "social_organisation",
    ]
    assert UnitType.objects.get(code="social_organisation").name == "社会组织"
    assert Call.objects.count() == 2
    assert jincheng_call.project_types.count() == 2


def test_command_prints_a_chinese_summary_and_is_quiet_the_second_time(jincheng_city):
    out = StringIO()
    call_command("load_call", str(JINCHENG_2022), stdout=out)
    assert "导入完成" in out.getvalue() and "市级技师工作站：建设扶持经费 300000.00 元" in out.getvalue()

    out = StringIO()
    call_command("load_call", str(JINCHENG_2022), stdout=out)
    assert "内容与数据库一致，无需变更" in out.getvalue()


def test_command_refuses_a_malformed_file(jincheng_city, tmp_path):
    data = jincheng_data()
    data["project_types"][0]["funding_amount"] = 0
    path = write_call_file(tmp_path, data, name="x.yaml")
    with pytest.raises(CommandError, match=r"字段 project_types\[0\]\.funding_amount：必须为大于0的金额"):
        call_command("load_call", str(path), stdout=StringIO())
    assert not Call.objects.exists()
