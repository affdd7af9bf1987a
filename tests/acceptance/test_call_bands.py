"""The band table and the report due day of the call file reach the decision and the reports: the 2022 call
reloaded with a stricter table (优秀≥95, 良好≥85, 合格≥70, 主要指标不低于70%) and reports due by 3-15."""

import datetime
import shutil
from decimal import Decimal

import pytest

from shenbao.acceptance import services
from shenbao.acceptance.models import AcceptanceEvaluation, ItemResult
from shenbao.calls.services import load_call_file
from tests.calls.helpers import jincheng_data, write_call_file
from tests.paths import JINCHENG_2022

from .builders import IN_2023, accept_all_reports, apply_for_acceptance, full_marks, score_and_decide, scores_with_total

pytestmark = pytest.mark.django_db


@pytest.fixture
def stricter_call(call, tmp_path):
    """The 2022 call file again, its workstation type with a stricter band table and an earlier report due day."""
    shutil.copytree(JINCHENG_2022.parent / "jincheng-2022", tmp_path / "jincheng-2022")
    data = jincheng_data()
    workstation = next(item for item in data["project_types"] if item["code"] == "workstation")
    workstation["acceptance_bands"] = {"excellent": "95", "good": "85", "qualified": "70", "main_item_min_ratio": "0.7"}
    workstation["progress_report_due"] = {"month": 3, "day": 15}
    return load_call_file(path=write_call_file(tmp_path, data))


@pytest.fixture
def applied(designated, unit_applicant, call_admin_user):
    accept_all_reports(designated, unit_applicant, call_admin_user)
    return apply_for_acceptance(designated, unit_applicant)


def test_a_total_of_92_5_is_good_under_the_call_files_table(
    stricter_call, applied, designated, experts, call_admin_user
):
    evaluation = score_and_decide(applied, experts, call_admin_user, scores_with_total(designated, "92.5"))
    assert evaluation.band == AcceptanceEvaluation.Band.GOOD  # 优秀 under the default table


def test_a_main_item_at_two_thirds_fails_under_a_70_percent_share(
    stricter_call, applied, designated, experts, call_admin_user, workstation_type
):
    management = next(
        item for item in workstation_type.rubric_items.filter(rubric="acceptance") if item.code == "management"
    )
    sheet = full_marks(designated)
    sheet[management.pk] = Decimal("10")  # 10 of 15: above 60%, below 70%
    evaluation = score_and_decide(applied, experts, call_admin_user, [sheet] * len(experts))

    assert evaluation.total == Decimal("95.00")
    assert evaluation.band == AcceptanceEvaluation.Band.FAILED
    assert ItemResult.objects.get(evaluation=evaluation, rubric_item=management).below_minimum


def test_a_report_is_due_on_the_call_files_day(stricter_call, make_designated):
    application, user = make_designated()
    report = services.start_report(application=application, year=2023, user=user, at=IN_2023)
    assert report.due_on == datetime.date(2024, 3, 15)
