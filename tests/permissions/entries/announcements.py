"""announcements: the call administrator's pages (404 for every other role: the pages are not disclosed) and the
city portal's public pages, which show a published announcement and its files to everyone and answer 404 for a
draft, one in review or a withdrawn one, whoever asks (nothing unpublished is revealed by a guessed URL).

`build` makes, through the real services, a draft of the home call administrator (with an attachment), one in
review written by a colleague of the same office (so the home administrator is its second person), one published
and one withdrawn (each with an attachment)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from shenbao.accounts.roles import Role
from shenbao.announcements.models import Announcement
from shenbao.announcements.services import create_announcement, fire_announcement_step, upload_attachment
from tests.applications.material_files import pdf_bytes
from tests.permissions.dsl import ADMIN, ROLES, allow, expect, get, post, public

SLUG = "jincheng"
UNPUBLISHED = ("announcement.draft", "announcement.in_review", "announcement.withdrawn")


def _public(obj):
    return {"slug": SLUG, "public_id": obj.public_id}


def _count(_obj):
    return Announcement.objects.count()


def _state(announcement):
    return announcement.status


ENTRIES = [
    get("announcements:list", allow(ADMIN), denied=404),
    get("announcements:create", allow(ADMIN), denied=404),
    post("announcements:create", expect(400, ADMIN), denied=404, data={}, watch=_count, note="an empty form: 400"),
    get("announcements:detail", allow(ADMIN), denied=404, obj="announcement.draft"),
    get("announcements:edit", allow(ADMIN), denied=404, obj="announcement.draft"),
    post(
        "announcements:edit",
        expect(400, ADMIN),
        denied=404,
        obj="announcement.draft",
        data={},
        note="the author's draft; an empty form: 400",
    ),
    post(
        "announcements:step",
        allow(ADMIN, status=302),
        denied=404,
        obj="announcement.in_review",
        data={"step": "publish"},
        watch=_state,
        note="the home administrator is the second person of a colleague's draft",
    ),
    post("announcements:upload", allow(ADMIN, status=302), denied=404, obj="announcement.draft", data={}),
    get("announcements:download", allow(ADMIN), denied=404, obj="attachment.draft"),
    post("announcements:remove", allow(ADMIN, status=302), denied=404, obj="attachment.draft", data={}),
    public("announcements:public_list", kwargs={"slug": SLUG}),
    public("announcements:public_detail", obj="announcement.published", kwargs=_public),
    public("announcements:public_file", obj="attachment.published", kwargs=_public),
    *(
        public(
            "announcements:public_detail",
            expect(404, ROLES),
            obj=kind,
            kwargs=_public,
            anonymous=404,
            variant=kind,
            note="not published: not there for anyone",
        )
        for kind in UNPUBLISHED
    ),
    *(
        public(
            "announcements:public_file",
            expect(404, ROLES),
            obj=kind.replace("announcement", "attachment"),
            kwargs=_public,
            anonymous=404,
            variant=kind,
            note="the file of an unpublished announcement: not there for anyone",
        )
        for kind in UNPUBLISHED
    ),
]


def _with_file(announcement, user):
    upload = SimpleUploadedFile("附件.pdf", pdf_bytes(), content_type="application/pdf")
    return upload_attachment(announcement=announcement, uploaded_file=upload, user=user)


def build(scenario):
    admin = scenario.users[ADMIN]
    colleague = scenario.make_user(Role.CALL_ADMIN, admin.organisation)

    def make(author, state):
        announcement = create_announcement(author=author, kind="other", title=f"矩阵{state}", body="正文")
        attachment = _with_file(announcement, author)
        steps = {"draft": [], "in_review": ["submit"], "published": ["submit", "publish"]}
        steps["withdrawn"] = [*steps["published"], "withdraw"]
        for name in steps[state]:
            actor = author if name == "submit" else (admin if author != admin else colleague)
            fire_announcement_step(announcement=announcement, name=name, actor=actor, comment="矩阵")
        announcement.refresh_from_db()
        scenario.add(f"announcement.{state}", announcement)
        scenario.add(f"attachment.{state}", attachment)

    make(admin, "draft")
    make(colleague, "in_review")
    make(admin, "published")
    make(admin, "withdrawn")
