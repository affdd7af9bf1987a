"""The results of a call as the platform publishes them, read through `/api/v1/calls/{slug}/results` (router
mounted by `shenbao.api`): its 公示 (public notices) whose period has begun, each with its units. What the public
notice pages show, nothing more; the call must be one of the caller's city (else 404)."""

import datetime

from ninja import Router, Schema

from shenbao.accounts.rules import get_city_of_user
from shenbao.calls.selectors import get_published_call_of_city
from shenbao.core.http import or_404

from . import selectors

router = Router(tags=["评审结果"])


class NoticeEntryOut(Schema):
    application_number: str
    unit: str
    county: str
    project_type: str


class NoticeOut(Schema):
    id: str
    title: str
    start_date: datetime.date
    end_date: datetime.date
    working_days: int
    status: str  # 未开始 / 公示中 / 已结束
    entries: list[NoticeEntryOut]


class ResultsOut(Schema):
    call: str
    notices: list[NoticeOut]


@router.get("/calls/{slug}/results", response=ResultsOut, summary="公示结果", url_name="v1_call_results")
def get_results(request, slug: str):
    call = or_404(get_published_call_of_city, city=get_city_of_user(request.auth), slug=slug)
    notices = []
    for notice in selectors.list_public_notices_of_call(call=call):
        entries = selectors.list_notice_entries(notice=notice)
        notices.append(
            {
                "id": str(notice.public_id),
                "title": notice.title,
                "start_date": notice.start_date,
                "end_date": notice.end_date,
                "working_days": notice.working_days,
                "status": notice.status_label,
                "entries": [
                    {
                        "application_number": entry.application.number,
                        "unit": entry.application.unit.name,
                        "county": entry.application.unit.region.name if entry.application.unit.region_id else "",
                        "project_type": entry.application.project_type.name,
                    }
                    for entry in entries
                ],
            }
        )
    return {"call": call.slug, "notices": notices}
