"""The call's workflow table and its one helper, the copy's date arithmetic and the change summary."""

import datetime

import pytest

from shenbao.audit.models import AuditEntry
from shenbao.calls.changes import describe_changes
from shenbao.calls.editing import copy_document, practice_document
from shenbao.calls.models import CallState
from shenbao.calls.workflow import CALL_TRANSITIONS, CallTransitionError, call_transitions_from, fire_call_transition

from .helpers import make_call


def test_the_workflow_is_a_table_from_draft_to_published():
    assert [(t.name, t.sources, t.target) for t in CALL_TRANSITIONS] == [
        ("publish", (CallState.DRAFT,), CallState.PUBLISHED)
    ]
    assert [t.name for t in call_transitions_from(CallState.DRAFT)] == ["publish"]
    assert call_transitions_from(CallState.PUBLISHED) == []


def test_publish_moves_a_draft_once_and_is_audited(db):
    call = make_call(slug="draft-call")
    call.state = CallState.DRAFT
    call.save(update_fields=["state"])
    call = fire_call_transition(call=call, name="publish", actor=None)
    assert call.state == CallState.PUBLISHED
    assert AuditEntry.objects.get(event="calls:publish").changes == {"state": ["draft", "published"]}
    with pytest.raises(CallTransitionError, match="当前状态不能执行此操作"):
        fire_call_transition(call=call, name="publish", actor=None)


def test_a_draft_without_project_types_cannot_be_published(db):
    call = make_call(slug="empty", project_types=0)
    call.state = CallState.DRAFT
    call.save(update_fields=["state"])
    with pytest.raises(CallTransitionError, match="至少需要一个项目类别"):
        fire_call_transition(call=call, name="publish", actor=None)
    call.refresh_from_db()
    assert call.state == CallState.DRAFT


def test_a_copy_moves_every_date_by_the_years_and_clips_29_february():
    document = {
        "year": 2023,
        "title": "关于开展2023年申报工作的通知",
        "published_on": "2024-02-29",
        "deadline": "2024-02-29T23:59:59+08:00",
        "first_review_due": "2024-03-10",
        "attachments": [{"code": "form", "title": "申报书", "path": "old-2023/form.docx"}],
        "project_types": [{"construction_start": "2024-02-29", "construction_end": "2025-12-31"}],
    }
    copy = copy_document(document, slug="new-2024", year=2024, application_number_prefix="2024")
    assert copy["title"] == "关于开展2024年申报工作的通知"
    assert (copy["published_on"], copy["deadline"]) == ("2025-02-28", "2025-02-28T23:59:59+08:00")
    assert copy["first_review_due"] == "2025-03-10"
    assert copy["project_types"][0] == {"construction_start": "2025-02-28", "construction_end": "2026-12-31"}
    assert copy["attachments"][0]["path"] == "new-2024/form.docx"
    assert document["published_on"] == "2024-02-29"  # the source is left alone


def test_a_practice_copy_is_marked_and_dated_relative_to_its_day():
    document = {
        "year": 2022,
        "title": "关于开展2022年申报工作的通知",
        "published_on": "2022-12-02",
        "deadline": "2022-12-08T23:59:59+08:00",
        "first_review_due": "2022-12-16",
        "attachments": [],
        "project_types": [{"construction_start": "2023-01-01", "construction_end": "2024-12-31"}],
    }
    today = datetime.date(2025, 3, 1)
    copy = practice_document(document, slug="practice-old", application_number_prefix="YS2025", today=today)
    assert copy["practice"] is True
    assert copy["title"] == "【演示】关于开展2025年申报工作的通知"
    assert (copy["slug"], copy["year"], copy["application_number_prefix"]) == ("practice-old", 2025, "YS2025")
    # Published weeks ago, open for weeks more (the deadline keeps its time of day), 初审 due after the deadline.
    assert copy["published_on"] == "2025-01-30"
    assert copy["deadline"] == "2025-03-29T23:59:59+08:00"
    assert copy["first_review_due"] == "2025-04-12"
    # The construction period has ended, so designated practice units can report and be accepted today.
    assert copy["project_types"][0] == {"construction_start": "2024-01-01", "construction_end": "2025-02-26"}
    assert "practice" not in document


def test_the_change_summary_names_rows_and_fields():
    old = {
        "deadline": "2023-12-08T23:59:59+08:00",
        "project_types": [
            {
                "code": "a",
                "name": "甲类",
                "quota_max": 10,
                "materials": [{"code": "m", "name": "报告", "required": False}],
            }
        ],
    }
    new = {
        "deadline": "2023-12-15T17:00:00+08:00",
        "project_types": [
            {
                "code": "a",
                "name": "甲类",
                "quota_max": 12,
                "materials": [{"code": "m", "name": "报告", "required": True}, {"code": "n", "name": "承诺书"}],
            }
        ],
    }
    assert describe_changes(old, new) == [
        "申报截止时间：2023-12-08T23:59:59+08:00 → 2023-12-15T17:00:00+08:00",
        "项目类别「甲类」拟评定数量上限：10 → 12",
        "项目类别「甲类」申报材料「报告」必交：否 → 是",
        "项目类别「甲类」申报材料：新增「承诺书」",
    ]
    assert describe_changes(old, old) == []
