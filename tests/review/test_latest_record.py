"""Each application's newest first-review record is its latest (the 初审汇总表's row): kept by the decisions,
enforced by the database and set for the records stored before the flag existed (migration 0003)."""

import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction

from shenbao.applications.services import fire_transition
from shenbao.review.models import FirstReviewRecord
from shenbao.review.services import decide_first_review

from .builders import AFTER, pass_first_review

MIGRATION = importlib.import_module("shenbao.review.migrations.0003_first_review_latest")
pytestmark = pytest.mark.django_db


@pytest.fixture
def returned_then_passed(make_submitted, county_reviewer):
    """An application returned, resubmitted and passed (two records), and one passed at once (one record)."""
    application = make_submitted(name="晋城市补正机械有限公司")
    returned = decide_first_review(
        application=application,
        user=county_reviewer,
        decision="return",
        comment="请补充证书。",
        resubmission_due="2022-12-20",
        at=AFTER,
    )
    resubmitted = fire_transition(application=returned, name="resubmit", actor=returned.created_by, at=AFTER)
    pass_first_review(resubmitted, county_reviewer)
    pass_first_review(make_submitted(name="晋城市通过机械有限公司"), county_reviewer)


def flags():
    return list(FirstReviewRecord.objects.order_by("pk").values_list("decision", "is_latest"))


def test_a_new_decision_becomes_the_latest_and_the_older_one_is_kept(returned_then_passed):
    assert flags() == [("return", False), ("pass", True), ("pass", True)]


def test_the_database_refuses_two_latest_records_of_one_application(returned_then_passed):
    older = FirstReviewRecord.objects.filter(is_latest=False).get()
    with pytest.raises(IntegrityError), transaction.atomic():
        FirstReviewRecord.objects.filter(pk=older.pk).update(is_latest=True)


def test_the_migration_flags_each_applications_newest_record(returned_then_passed):
    FirstReviewRecord.objects.update(is_latest=False)  # as the rows were when the column was added

    MIGRATION.flag_latest_records(apps, None)

    assert flags() == [("return", False), ("pass", True), ("pass", True)]
