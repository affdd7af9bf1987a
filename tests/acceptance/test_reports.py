"""Construction-period progress reports (建设进展报告): the unit's own targets, the year's window and due date,
completeness, the city's acceptance or return with comments, lost updates, evidence checked like materials."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from shenbao.acceptance import services
from shenbao.acceptance.evidence import remove_evidence, upload_evidence
from shenbao.acceptance.models import EvidenceFile, FundUse, ProgressReport
from shenbao.acceptance.periods import add_months, report_due_on
from shenbao.accounts.roles import Role
from shenbao.applications.sections.training_base import PLAN_INDICATORS
from shenbao.audit.models import AuditEntry
from shenbao.calls.periods import construction_years
from shenbao.core.revisions import StaleRevisionError
from shenbao.notifications.models import Notification
from tests.factories import UserFactory

from .builders import BEIJING, IN_2023, file_report, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def station(make_designated):
    return make_designated()


@pytest.fixture
def base(make_designated):
    return make_designated("training_base")


def test_the_period_gives_one_report_a_year_due_at_the_end_of_the_next_january(workstation_type):
    assert construction_years(workstation_type) == [2023, 2024]
    assert report_due_on(workstation_type, 2023) == datetime.date(2024, 1, 31)
    assert report_due_on(workstation_type, 2024) == datetime.date(2025, 1, 31)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [("2025-03-20", 3, "2025-06-20"), ("2024-11-30", 3, "2025-02-28"), ("2023-11-30", 3, "2024-02-29")],
)
def test_rectification_months_are_calendar_months_clipped_to_the_month_end(day, months, expected):
    assert add_months(datetime.date.fromisoformat(day), months) == datetime.date.fromisoformat(expected)


def test_a_workstation_report_copies_its_mentoring_pairs_and_the_years_topics(station):
    application, user = station
    report = services.start_report(application=application, year=2023, user=user, at=IN_2023)
    targets = {target["key"]: target for target in report.targets}
    assert targets["pairs"]["category"] == "quantity" and targets["pairs"]["planned"] == "1"
    assert targets["pair-0"]["label"] == "成员1 带 徒弟甲（数控车工）"
    assert targets["pair-0"]["target"] == "技师，期限2023-01-01至2024-12-31"
    assert targets["topic-0"] == {
        "key": "topic-0",
        "category": "research",
        "label": "技术攻关课题：薄壁件加工",
        "target": "合格率提升（负责人：成员1），计划2023-12-31完成",
        "planned": "",
        "source": "申请报告·建站设想·师带徒和技术攻关课题",
    }
    later = services.start_report(application=application, year=2024, user=user, at=IN_2023.replace(year=2024))
    assert "topic-0" not in {target["key"] for target in later.targets}  # the topic was planned for 2023
    assert [line.category for line in FundUse.objects.filter(report=report)][:2] == ["equipment", "mentoring"]
    equipment = FundUse.objects.get(report=report, category="equipment")
    assert equipment.planned_subsidy == Decimal("300000.00")  # 30 万元 of the 申请报告's 经费使用计划


def test_a_base_report_copies_trainees_the_years_indicators_stages_and_budget(base):
    application, user = base
    report = services.start_report(application=application, year=2023, user=user, at=IN_2023)
    targets = {target["key"]: target for target in report.targets}
    assert targets["trained"]["planned"] == "800"
    assert targets["indicator-0"]["label"] == "培训人数" and targets["indicator-0"]["planned"] == "500"
    assert targets["stage-0"]["label"] == "2023年第一阶段（2023-01-01至2023-12-31）"
    assert targets["stage-0"]["target"] == "任务一；阶段成果：阶段成果"
    assert "stage-1" not in targets  # the 2024 stage
    equipment = FundUse.objects.get(report=report, category="equipment")
    assert equipment.planned_subsidy == Decimal("200000.00")  # 20.00 万元 of the 实施方案 budget
    assert equipment.planned_own == Decimal("300000.00")


def test_a_base_report_copies_the_years_column_of_the_implementation_plans_annual_targets(base):
    application, user = base
    first = services.start_report(application=application, year=2023, user=user, at=IN_2023)
    later = services.start_report(application=application, year=2024, user=user, at=IN_2023.replace(year=2024))

    targets = {target["key"]: target for target in first.targets}
    assert targets["annual-trainees"] == {
        "key": "annual-trainees",
        "category": "quantity",
        "label": "2023年目标：年培训规模（人）",
        "target": "20（现状10）",
        "planned": "20",
        "source": "实施方案·建设目标·年度目标",
    }
    annual = [key for key in targets if key.startswith("annual-")]
    assert annual == [f"annual-{code}" for code, _label in PLAN_INDICATORS]  # every fixed indicator, in order
    assert {target["key"]: target["planned"] for target in later.targets}["annual-stations"] == "21"


def test_the_targets_are_a_snapshot_of_the_submitted_content(station):
    application, user = station
    report = services.start_report(application=application, year=2023, user=user, at=IN_2023)
    type(application).objects.filter(pk=application.pk).update(form_data={})
    report.refresh_from_db()
    assert any(target["key"] == "pairs" for target in report.targets)


def test_a_report_opens_on_the_first_day_of_its_year_and_only_within_the_period(station):
    application, user = station
    with pytest.raises(ValidationError, match="2024年度建设进展报告自2024年1月1日起填报"):
        services.start_report(application=application, year=2024, user=user, at=IN_2023)
    with pytest.raises(ValidationError, match="不在建设期内"):
        services.start_report(application=application, year=2025, user=user, at=IN_2023.replace(year=2025))
    first_minute = datetime.datetime(2024, 1, 1, 0, 0, tzinfo=BEIJING)
    assert services.start_report(application=application, year=2024, user=user, at=first_minute).year == 2024


def test_starting_twice_returns_the_same_report(station):
    application, user = station
    first = services.start_report(application=application, year=2023, user=user, at=IN_2023)
    assert services.start_report(application=application, year=2023, user=user, at=IN_2023) == first
    assert ProgressReport.objects.count() == 1


def test_only_the_units_applicant_starts_a_report(station, make_designated, call_admin_user):
    application, _user = station
    _other, stranger = make_designated(name="晋城市另一家精工有限公司")
    for user in (stranger, call_admin_user):
        with pytest.raises(PermissionDenied):
            services.start_report(application=application, year=2023, user=user, at=IN_2023)


def test_submission_needs_every_target_the_narrative_and_evidence(station):
    application, user = station
    report = services.start_report(application=application, year=2023, user=user, at=IN_2023)
    with pytest.raises(ValidationError) as caught:
        services.submit_report(report=report, user=user, at=IN_2023)
    messages = caught.value.messages
    assert "请填写“师徒结对数（对）”的完成数。" in messages
    assert "请选择“技术攻关课题：薄壁件加工”的完成情况。" in messages
    assert "请填写年度建设情况综述。" in messages
    assert "请上传至少一份佐证材料。" in messages


def test_a_submitted_report_is_locked_and_the_city_is_told(station, call_admin_user):
    application, user = station
    report = file_report(application, user, 2023)
    assert report.status == ProgressReport.Status.SUBMITTED
    with pytest.raises(PermissionDenied):
        services.save_report(
            report=report, user=user, progress={}, fund_uses={}, narrative="改", expected_revision=report.revision
        )
    with pytest.raises(ValidationError, match="已提交"):
        services.submit_report(report=report, user=user)
    assert Notification.objects.filter(event="acceptance:submit_report", recipient=call_admin_user).count() == 1
    assert AuditEntry.objects.filter(event="acceptance:submit_report").count() == 1


def test_spending_is_decimal_to_the_fen_and_never_negative(station):
    application, user = station
    report = services.start_report(application=application, year=2023, user=user, at=IN_2023)
    report = services.save_report(
        report=report,
        user=user,
        progress={},
        fund_uses={"equipment": ("12345.67", "0.01")},
        narrative="",
        expected_revision=report.revision,
    )
    line = FundUse.objects.get(report=report, category="equipment")
    assert (line.subsidy_spent, line.own_spent) == (Decimal("12345.67"), Decimal("0.01"))
    for bad in ("-1", "1.005"):
        with pytest.raises(ValidationError, match="必须为不小于0的金额"):
            services.save_report(
                report=report,
                user=user,
                progress={},
                fund_uses={"equipment": (bad, "0")},
                narrative="",
                expected_revision=report.revision,
            )


def test_a_save_from_a_stale_window_is_refused(station):
    application, user = station
    report = services.start_report(application=application, year=2023, user=user, at=IN_2023)
    stale = report.revision
    services.save_report(report=report, user=user, progress={}, fund_uses={}, narrative="甲", expected_revision=stale)
    with pytest.raises(StaleRevisionError):
        services.save_report(
            report=report, user=user, progress={}, fund_uses={}, narrative="乙", expected_revision=stale
        )
    report.refresh_from_db()
    assert report.narrative == "甲"


def test_the_city_returns_with_comments_and_accepts_the_resubmission(station, call_admin_user):
    application, user = station
    report = file_report(application, user, 2023)
    with pytest.raises(ValidationError, match="退回修改须填写审核意见"):
        services.review_report(report=report, user=call_admin_user, decision="return")
    returned = services.review_report(
        report=report, user=call_admin_user, decision="return", comment="请补充带徒记录。"
    )
    assert returned.status == ProgressReport.Status.RETURNED
    told = Notification.objects.get(event="acceptance:review_report", recipient=user)
    assert "请补充带徒记录。" in told.body
    again = services.submit_report(report=returned, user=user, at=IN_2023)
    accepted = services.review_report(report=again, user=call_admin_user, decision="accept")
    assert accepted.status == ProgressReport.Status.ACCEPTED
    with pytest.raises(ValidationError, match="状态已变化"):
        services.review_report(report=accepted, user=call_admin_user, decision="accept")
    assert AuditEntry.objects.filter(event__in=["acceptance:return_report", "acceptance:accept_report"]).count() == 2


def test_only_the_city_administrator_reviews(station, hr_reviewer, other_city_admin):
    application, user = station
    report = file_report(application, user, 2023)
    for reviewer in (user, hr_reviewer, other_city_admin):
        with pytest.raises(PermissionDenied):
            services.review_report(report=report, user=reviewer, decision="accept")


def test_a_late_submission_is_accepted_and_marked_overdue(station):
    application, user = station
    report = file_report(application, user, 2023, submit=False)
    late = datetime.datetime(2024, 2, 1, 9, 0, tzinfo=BEIJING)
    services.submit_report(report=report, user=user, at=late)
    entry = AuditEntry.objects.get(event="acceptance:submit_report")
    assert entry.additional_data["overdue"] is True


def test_evidence_is_checked_by_content_like_the_materials(station):
    application, user = station
    report = services.start_report(application=application, year=2023, user=user, at=IN_2023)
    disguised = SimpleUploadedFile("报告.pdf", b"MZ\x90\x00" + b"\x00" * 100, "application/pdf")
    with pytest.raises(ValidationError, match="已拒绝"):
        upload_evidence(owner=report, uploaded_file=disguised, user=user)
    with pytest.raises(ValidationError, match="文件为空"):
        upload_evidence(owner=report, uploaded_file=SimpleUploadedFile("空.pdf", b""), user=user)
    assert AuditEntry.objects.filter(event="acceptance:upload_evidence", result="failure").count() == 2
    kept = upload_evidence(owner=report, uploaded_file=pdf_upload(), user=user)
    assert kept.content_type == "application/pdf" and kept.file.name.endswith(".pdf")
    assert kept.original_name == "佐证材料.pdf"
    remove_evidence(evidence=kept, user=user)
    assert not EvidenceFile.objects.get(pk=kept.pk).is_current  # kept, not deleted


def test_evidence_is_refused_once_the_report_is_submitted_or_for_another_user(station):
    application, user = station
    report = file_report(application, user, 2023)
    with pytest.raises(PermissionDenied):
        upload_evidence(owner=report, uploaded_file=pdf_upload(), user=user)
    colleague_elsewhere = UserFactory(roles=[Role.APPLICANT])
    draft = services.start_report(application=application, year=2024, user=user, at=IN_2023.replace(year=2024))
    with pytest.raises(PermissionDenied):
        upload_evidence(owner=draft, uploaded_file=pdf_upload(), user=colleague_elsewhere)


def test_each_step_is_audited_with_the_states_labels_and_the_resubmission_reads_from_returned(station, call_admin_user):
    application, user = station
    report = file_report(application, user, 2023)
    services.review_report(report=report, user=call_admin_user, decision="return", comment="请补充带徒记录。")
    services.submit_report(report=report, user=user, at=IN_2023)
    returned = AuditEntry.objects.get(event="acceptance:return_report")
    assert returned.changes == {"状态": ["已提交，待审核", "退回修改"]}
    assert returned.additional_data["comment"] == "请补充带徒记录。"
    submissions = AuditEntry.objects.filter(event="acceptance:submit_report").order_by("pk")
    assert [entry.changes["状态"] for entry in submissions] == [
        ["草稿", "已提交，待审核"],
        ["退回修改", "已提交，待审核"],
    ]


def test_a_refused_review_leaves_the_report_untouched(station, call_admin_user):
    application, user = station
    report = file_report(application, user, 2023, submit=False)
    with pytest.raises(ValidationError) as caught:
        services.review_report(report=report, user=call_admin_user, decision="accept")
    assert caught.value.messages == ["状态已变化：该建设进展报告当前为「草稿」，不能再执行「审核通过」。请刷新页面。"]
    stored = ProgressReport.objects.get(pk=report.pk)
    assert (stored.status, stored.reviewed_by) == (ProgressReport.Status.DRAFT, None)
