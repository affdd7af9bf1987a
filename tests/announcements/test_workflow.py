"""The announcement's workflow: the second-person rule, publication, return and withdrawal, each step audited,
the reviewer told with a link to the review page and given a 待办."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from shenbao.announcements.models import Announcement
from shenbao.announcements.selectors import (
    count_announcements_to_review,
    get_public_announcement,
    list_public_announcements,
)
from shenbao.announcements.services import fire_announcement_step, update_announcement, upload_attachment
from shenbao.announcements.workflow import MACHINE
from shenbao.audit.models import AuditEntry
from shenbao.core.todos import list_todos
from shenbao.core.transitions import unresolved_names
from shenbao.notifications.models import Notification
from tests.applications.material_files import pdf_bytes, zip_bytes

pytestmark = pytest.mark.django_db
STATUS = Announcement.Status


def test_every_name_of_the_machine_resolves():
    assert unresolved_names(MACHINE) == []


def test_the_author_can_never_approve_their_own(draft, author):
    fire_announcement_step(announcement=draft, name="submit", actor=author)
    with pytest.raises(ValidationError) as refused:
        fire_announcement_step(announcement=draft, name="publish", actor=author)
    assert "起草人不能审核本人起草的通知公告" in str(refused.value)
    with pytest.raises(ValidationError):
        fire_announcement_step(announcement=draft, name="return", actor=author, comment="自己退回")
    draft.refresh_from_db()
    assert draft.status == STATUS.IN_REVIEW
    assert draft.published_at is None


def test_a_second_administrator_of_the_city_publishes(draft, author, reviewer):
    fire_announcement_step(announcement=draft, name="submit", actor=author)
    published = fire_announcement_step(announcement=draft, name="publish", actor=reviewer)
    assert published.status == STATUS.PUBLISHED
    assert published.published_at is not None
    assert published.reviewed_by == reviewer
    events = list(
        AuditEntry.objects.filter(event__startswith="announcement:").order_by("pk").values_list("event", flat=True)
    )
    assert events == [
        "announcement:create",
        "announcement:upload_attachment",
        "announcement:submit",
        "announcement:publish",
    ]
    assert get_public_announcement(city=draft.city, public_id=draft.public_id) == published


def test_the_reviewer_gets_a_todo_and_a_notification_linking_to_the_review_page(draft, author, reviewer):
    assert count_announcements_to_review(user=reviewer).total == 0
    fire_announcement_step(announcement=draft, name="submit", actor=author)
    assert count_announcements_to_review(user=reviewer).total == 1
    # The author's own draft is nobody's 待办 of theirs: they may not review it.
    assert count_announcements_to_review(user=author).total == 0
    [todo] = [todo for todo in list_todos(user=reviewer) if "通知公告" in todo.text]
    assert todo.url == "/announcements/?status=in_review"
    [message] = Notification.objects.filter(recipient=reviewer)
    assert message.url == f"/announcements/{draft.public_id}/"
    assert draft.title in message.title
    assert not Notification.objects.filter(recipient=author).exists()


def test_return_needs_a_comment_and_gives_the_draft_back(draft, author, reviewer):
    fire_announcement_step(announcement=draft, name="submit", actor=author)
    with pytest.raises(ValidationError):
        fire_announcement_step(announcement=draft, name="return", actor=reviewer)
    returned = fire_announcement_step(announcement=draft, name="return", actor=reviewer, comment="请补充答辩地点")
    assert returned.status == STATUS.DRAFT
    assert returned.review_comment == "请补充答辩地点"
    assert Notification.objects.get(recipient=author).body.endswith("意见：请补充答辩地点")
    edited = update_announcement(announcement=returned, user=author, values={"body": "答辩地点：市人社局"})
    assert edited.body == "答辩地点：市人社局"


def test_only_the_author_edits_and_only_a_draft(draft, author, reviewer):
    with pytest.raises(PermissionDenied):
        update_announcement(announcement=draft, user=reviewer, values={"title": "改"})
    fire_announcement_step(announcement=draft, name="submit", actor=author)
    with pytest.raises(ValidationError):
        update_announcement(announcement=draft, user=author, values={"title": "改"})


def test_another_citys_administrator_may_not_review(draft, author, other_city_admin):
    fire_announcement_step(announcement=draft, name="submit", actor=author)
    with pytest.raises(PermissionDenied):
        fire_announcement_step(announcement=draft, name="publish", actor=other_city_admin)


def test_withdrawn_disappears_from_the_public(draft, author, reviewer):
    fire_announcement_step(announcement=draft, name="submit", actor=author)
    fire_announcement_step(announcement=draft, name="publish", actor=reviewer)
    assert list(list_public_announcements(city=draft.city)) == [draft]
    with pytest.raises(ValidationError):
        fire_announcement_step(announcement=draft, name="withdraw", actor=author)  # a reason is required
    withdrawn = fire_announcement_step(announcement=draft, name="withdraw", actor=author, comment="日期有误")
    assert withdrawn.withdrawal_reason == "日期有误"
    assert list(list_public_announcements(city=draft.city)) == []
    with pytest.raises(Announcement.DoesNotExist):
        get_public_announcement(city=draft.city, public_id=draft.public_id)
    assert AuditEntry.objects.get(event="announcement:withdraw").additional_data["comment"] == "日期有误"


def test_an_attachment_goes_through_the_upload_pipeline_and_a_refusal_is_audited(draft, author, reviewer):
    disguised = SimpleUploadedFile("名单.pdf", zip_bytes(), content_type="application/pdf")
    with pytest.raises(ValidationError):
        upload_attachment(announcement=draft, uploaded_file=disguised, user=author)
    refusal = AuditEntry.objects.get(event="announcement:upload_attachment", result=AuditEntry.Result.FAILURE)
    assert refusal.additional_data["original_name"] == "名单.pdf"
    # Only the author attaches files, and only to a draft.
    with pytest.raises(PermissionDenied):
        upload_attachment(announcement=draft, uploaded_file=SimpleUploadedFile("a.pdf", pdf_bytes()), user=reviewer)
    fire_announcement_step(announcement=draft, name="submit", actor=author)
    with pytest.raises(ValidationError):
        upload_attachment(announcement=draft, uploaded_file=SimpleUploadedFile("b.pdf", pdf_bytes()), user=author)
    assert draft.attachments.count() == 1
