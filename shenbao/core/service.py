"""The public service hall (政务服务, in the style of a 一网通办 portal): what a citizen or a unit may see and do
without logging in, for the whole platform or for one city's portal.

通知公告 is one feed of the published calls, the public notices (公示) and the published announcements
(shenbao.announcements), newest first: a UNION of three small projections, ordered and paginated in the database,
so a page costs the same however many rows there are.
"""

import uuid
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, TruncDate
from django.utils.translation import gettext_lazy as _

from shenbao.acceptance.models import AcceptanceEvaluation
from shenbao.acceptance.selectors import map_acceptance_bands
from shenbao.announcements.selectors import list_public_announcements
from shenbao.applications.workflow import ApplicationStatus
from shenbao.calls.selectors import list_public_calls
from shenbao.notices.selectors import public_notices

CALL, NOTICE, ANNOUNCEMENT = "call", "notice", "announcement"
FEED_FIELDS = ("item_date", "title", "item_key", "item_kind", "city_name", "city_slug")
HUB_FEED_SIZE = 6


@dataclass(frozen=True)
class Announcement:
    date: object
    title: str
    key: str  # a call's slug, or a notice's or an announcement's public id
    kind: str  # CALL, NOTICE or ANNOUNCEMENT
    city_name: str
    city_slug: str  # the city's portal, where an announcement is shown

    @property
    def is_notice(self):
        return self.kind == NOTICE

    @property
    def is_announcement(self):
        return self.kind == ANNOUNCEMENT


def _feed(*, city, at):
    calls = list_public_calls(at=at).prefetch_related(None).select_related(None).order_by()
    if city is not None:
        calls = calls.filter(city=city)
    calls = calls.annotate(
        item_date=F("published_on"),
        item_key=F("slug"),
        item_kind=Value(CALL, output_field=CharField()),
        city_name=F("city__name"),
        city_slug=F("city__portal_slug"),
    ).values_list(*FEED_FIELDS)
    notices = (
        public_notices(at=at, city=city)
        .order_by()
        .annotate(
            item_date=F("start_date"),
            item_key=Cast("public_id", output_field=CharField()),
            item_kind=Value(NOTICE, output_field=CharField()),
            city_name=F("call__city__name"),
            city_slug=F("call__city__portal_slug"),
        )
        .values_list(*FEED_FIELDS)
    )
    announcements = (
        list_public_announcements(city=city)
        .select_related(None)
        .order_by()
        .annotate(
            item_date=TruncDate("published_at"),
            item_key=Cast("public_id", output_field=CharField()),
            item_kind=Value(ANNOUNCEMENT, output_field=CharField()),
            city_name=F("city__name"),
            city_slug=F("city__portal_slug"),
        )
        .values_list(*FEED_FIELDS)
    )
    return calls.union(notices, announcements, all=True).order_by("-item_date", "item_kind", "title")


def _announcements(rows):
    # A UUID cast to text is 32 hex digits on SQLite and the dashed form on PostgreSQL: one form for the URLs.
    return [
        Announcement(date, title, key if kind == CALL else str(uuid.UUID(key)), kind, city_name, city_slug or "")
        for date, title, key, kind, city_name, city_slug in rows
    ]


def list_announcements(*, city=None, at=None, page=None, per_page=20):
    """One page of 通知公告 (calls and notices, newest first) and its items."""
    page_obj = Paginator(_feed(city=city, at=at), per_page).get_page(page)
    return page_obj, _announcements(page_obj.object_list)


def list_latest_announcements(*, city=None, at=None, limit=HUB_FEED_SIZE):
    return _announcements(_feed(city=city, at=at)[:limit])


# --- 认定名单: each designated unit's standing -------------------------------------------------------------------

BUILDING, ACCEPTED, REVOKED = _("建设中"), _("已验收"), _("已撤销")
# Any decided band but 不合格 is a pass (as `AcceptanceEvaluation.passed` says).
FAILED_BAND = AcceptanceEvaluation.Band.FAILED


@dataclass(frozen=True)
class RegisterRow:
    application: object
    status: object  # BUILDING, ACCEPTED or REVOKED (lazy text)
    badge: str  # Bootstrap colour

    @property
    def css_class(self):
        return f"text-bg-{self.badge}"


def register_rows(applications):
    """The register page's rows with each unit's status: 已撤销 (the designation revoked), 已验收 (a decided
    evaluation passed), else 建设中. One query for the acceptance results of the page, whatever its length."""
    applications = list(applications)
    bands = map_acceptance_bands(applications=[application.pk for application in applications])
    rows = []
    for application in applications:
        if application.status == ApplicationStatus.REVOKED:
            rows.append(RegisterRow(application, REVOKED, "danger"))
        elif bands.get(application.pk, FAILED_BAND) != FAILED_BAND:
            rows.append(RegisterRow(application, ACCEPTED, "success"))
        else:
            rows.append(RegisterRow(application, BUILDING, "info"))
    return rows
