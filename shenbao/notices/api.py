"""The results of a call, read through `/api/v1/calls/{slug}/results` (router mounted by `shenbao.api`), as the
platform shows them to the caller's role: its 公示 (public notices whose period has begun) with their units, for
everyone who may read the call (what the public notice pages show); and for the call's administrator (技能办)
alone, as on the ranking page, the ranking of each project type with the scores and who is on the proposed list
(拟授牌). The call must be one of the caller's city (else 404)."""

import datetime
from decimal import Decimal

from ninja import Router, Schema

from shenbao.accounts.rules import get_city_of_user
from shenbao.applications.workflow import ON_PROPOSED_LIST
from shenbao.calls.rules import administers_call
from shenbao.calls.selectors import get_published_call_of_city, list_project_types
from shenbao.core.http import or_404
from shenbao.scoring import selectors as scoring_selectors

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


class RankedOut(Schema):
    position: int
    rank: int  # equal for the members of an undecided tie (并列)
    application_number: str
    unit: str
    county: str
    final: Decimal
    material: Decimal
    defence: Decimal
    passes: bool  # at or above the project type's pass line
    proposed: bool  # on the proposed list (拟授牌) or past it


class RankingOut(Schema):
    project_type: str
    project_type_name: str
    rows: list[RankedOut]
    pending: int  # applications still waiting for sheets, not ranked yet


class ResultsOut(Schema):
    call: str
    notices: list[NoticeOut]
    ranking: list[RankingOut] | None  # None: the ranking is not shown to the caller's role


def _ranking(call) -> list[dict]:
    rankings = []
    for project_type in list_project_types(call=call):
        result = scoring_selectors.get_ranking(call=call, project_type=project_type)
        rows = []
        for row in result.rows:
            application = row.candidate.item
            rows.append(
                {
                    "position": row.position,
                    "rank": row.rank,
                    "application_number": application.number,
                    "unit": application.unit_name,
                    "county": application.county,
                    "final": row.final,
                    "material": row.material,
                    "defence": row.defence,
                    "passes": row.passes,
                    "proposed": application.status in ON_PROPOSED_LIST,
                }
            )
        rankings.append(
            {
                "project_type": project_type.code,
                "project_type_name": project_type.name,
                "rows": rows,
                "pending": len(result.pending),
            }
        )
    return rankings


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
    ranking = _ranking(call) if administers_call(request.auth, call) else None
    return {"call": call.slug, "notices": notices, "ranking": ranking}
