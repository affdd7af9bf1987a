"""The announcement pages through the real middleware stack (logged in, CSRF on): drafting with an attachment,
a second administrator publishing, the public pages showing only what is published (a guessed URL of a draft, one
in review or a withdrawn one answers 404), the portal's cached part refreshed by the publication."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shenbao.announcements.models import Announcement
from shenbao.announcements.selectors import list_latest_public_announcements
from shenbao.announcements.services import create_announcement, fire_announcement_step
from shenbao.audit.models import AuditEntry
from tests.applications.material_files import pdf_bytes
from tests.web import WebUser

pytestmark = pytest.mark.django_db
STATUS = Announcement.Status


@pytest.fixture
def web_author(author, password):
    web = WebUser()
    web.log_in(author.username, password)
    return web


@pytest.fixture
def web_reviewer(reviewer, password):
    web = WebUser()
    web.log_in(reviewer.username, password)
    return web


def _public_urls(announcement):
    attachment = announcement.attachments.get()
    slug = announcement.city.portal_slug
    return [
        reverse("announcements:public_detail", kwargs={"slug": slug, "public_id": announcement.public_id}),
        reverse("announcements:public_file", kwargs={"slug": slug, "public_id": attachment.public_id}),
    ]


def test_draft_review_publish_through_the_pages(web_author, web_reviewer, author, reference, settings):
    settings.SHENBAO_PORTAL_CACHE_SECONDS = 300
    cache.clear()
    anonymous = WebUser()
    portal = reverse("core:city_portal", kwargs={"slug": "jincheng"})
    assert "关于公布2022年市级技师工作站名单的通知" not in anonymous.get(portal).content.decode()

    response = web_author.post(
        reverse("announcements:create"),
        {"kind": "designation", "title": "关于公布2022年市级技师工作站名单的通知", "body": "名单见附件。", "call": ""},
    )
    assert response.status_code == 302
    announcement = Announcement.objects.get()
    detail = reverse("announcements:detail", kwargs={"public_id": announcement.public_id})
    upload = SimpleUploadedFile("名单.pdf", pdf_bytes(), content_type="application/pdf")
    response = web_author.post(
        reverse("announcements:upload", kwargs={"public_id": announcement.public_id}), {"file": upload}, form_url=detail
    )
    assert response.status_code == 302
    step = reverse("announcements:step", kwargs={"public_id": announcement.public_id})
    web_author.post(step, {"step": "submit"}, form_url=detail)
    # The author's own page offers no review; a forced POST is refused with the reason.
    assert "审核通过并发布" not in web_author.get(detail).content.decode()
    page = web_author.client.get(web_author.post(step, {"step": "publish"}, form_url=detail).url).content.decode()
    assert "起草人不能审核本人起草的通知公告" in page
    announcement.refresh_from_db()
    assert announcement.status == STATUS.IN_REVIEW
    for url in _public_urls(announcement):
        assert anonymous.get(url).status_code == 404

    page = web_reviewer.get(detail).content.decode()
    assert "审核通过并发布" in page
    web_reviewer.post(step, {"step": "publish"}, form_url=detail)
    announcement.refresh_from_db()
    assert announcement.status == STATUS.PUBLISHED

    # The portal's cached part is keyed by the audit chain's head: the publication shows at once.
    assert announcement.title in anonymous.get(portal).content.decode()
    assert announcement.title in anonymous.get("/").content.decode()
    listing = reverse("announcements:public_list", kwargs={"slug": "jincheng"})
    assert announcement.title in anonymous.get(listing).content.decode()
    # The service hall's 通知公告 feed (calls, 公示 and announcements) links to it on the city's portal.
    detail_path = reverse(
        "announcements:public_detail", kwargs={"slug": "jincheng", "public_id": announcement.public_id}
    )
    for feed in ("/service/announcements/", "/c/jincheng/service/announcements/", "/service/"):
        assert f'href="{detail_path}"' in anonymous.get(feed).content.decode()
    detail_url, file_url = _public_urls(announcement)
    assert "名单见附件。" in anonymous.get(detail_url).content.decode()
    download = anonymous.get(file_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf_bytes()
    taken = AuditEntry.objects.filter(event="announcement:download_attachment").get()
    assert taken.actor is None and taken.additional_data["public"] is True


def test_the_pages_in_english(web_author, draft):
    web_author.client.cookies["django_language"] = "en"
    page = web_author.get(reverse("announcements:detail", kwargs={"public_id": draft.public_id})).content.decode()
    assert "Send for review" in page and "Defence notice" in page and "送审" not in page


def test_public_pages_reveal_nothing_unpublished(draft, author, reviewer, reference):
    anonymous = WebUser()
    listing = reverse("announcements:public_list", kwargs={"slug": "jincheng"})
    # A draft
    assert draft.title not in anonymous.get(listing).content.decode()
    for url in _public_urls(draft):
        assert anonymous.get(url).status_code == 404
    # In review
    fire_announcement_step(announcement=draft, name="submit", actor=author)
    for url in _public_urls(draft):
        assert anonymous.get(url).status_code == 404
    for page in (listing, "/", "/c/jincheng/", "/service/announcements/"):
        assert draft.title not in anonymous.get(page).content.decode()
    # Published: the body is plain text, escaped
    fire_announcement_step(announcement=draft, name="publish", actor=reviewer)
    page = anonymous.get(_public_urls(draft)[0]).content.decode()
    assert "<p>第一段。</p>" in page
    assert "<script>x</script>" not in page
    assert "&lt;script&gt;" in page
    # Withdrawn
    fire_announcement_step(announcement=draft, name="withdraw", actor=reviewer, comment="撤回")
    for url in _public_urls(draft):
        assert anonymous.get(url).status_code == 404
    for page in (listing, "/", "/c/jincheng/", "/service/announcements/"):
        assert draft.title not in anonymous.get(page).content.decode()


def test_another_city_portal_does_not_show_this_citys_announcement(draft, author, reviewer, other_city_admin):
    fire_announcement_step(announcement=draft, name="submit", actor=author)
    fire_announcement_step(announcement=draft, name="publish", actor=reviewer)
    other = other_city_admin.organisation.region
    other.portal_slug = "taiyuan"
    other.save(update_fields=["portal_slug"])
    url = reverse("announcements:public_detail", kwargs={"slug": "taiyuan", "public_id": draft.public_id})
    assert WebUser().get(url).status_code == 404


def test_another_citys_administrator_gets_404(draft, other_city_admin, password):
    web = WebUser()
    web.log_in(other_city_admin.username, password)
    assert web.get(reverse("announcements:detail", kwargs={"public_id": draft.public_id})).status_code == 404
    assert draft.title not in web.get(reverse("announcements:list")).content.decode()


@pytest.mark.parametrize("count", [1, 7])
def test_the_portals_latest_announcements_cost_one_query_however_many(
    count, author, reviewer, reference, django_assert_num_queries, client
):
    for number in range(count):
        announcement = create_announcement(author=author, kind="other", title=f"公告{number}", body="正文")
        fire_announcement_step(announcement=announcement, name="submit", actor=author)
        fire_announcement_step(announcement=announcement, name="publish", actor=reviewer)
    city = announcement.city
    with django_assert_num_queries(1):
        latest = list_latest_public_announcements(city=city)
        assert [item.city.portal_slug for item in latest] == ["jincheng"] * min(count, 5)
    with django_assert_num_queries(3):  # the city, the paginator's count, the page
        page = client.get(reverse("announcements:public_list", kwargs={"slug": "jincheng"}))
    assert page.status_code == 200
