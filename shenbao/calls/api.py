"""The calls of the caller's city, read through `/api/v1/calls` (router mounted by `shenbao.api`).

The caller's city is that of its organisation (`get_city_of_user`): a service account's body or a signed-in
member of staff. Another city's call, or a draft, answers 404. What a call says is public (its page on the portal).
"""

import datetime
from decimal import Decimal

from ninja import Router, Schema

from shenbao.accounts.rules import get_city_of_user
from shenbao.core.http import or_404

from . import selectors

router = Router(tags=["申报通知"])


class ProjectTypeOut(Schema):
    code: str
    name: str
    quota_min: int
    quota_max: int
    funding_amount: Decimal


class CallOut(Schema):
    slug: str
    title: str
    year: int
    city: str
    state: str
    published_on: datetime.date
    submission_closes_at: datetime.datetime


class CallDetailOut(CallOut):
    project_types: list[ProjectTypeOut]


def city_call(request, slug: str):
    """The published call `slug` of the caller's city, else 404."""
    return or_404(selectors.get_published_call_of_city, city=get_city_of_user(request.auth), slug=slug)


def _call_out(call) -> dict:
    return {
        "slug": call.slug,
        "title": call.title,
        "year": call.year,
        "city": call.city.name,
        "state": call.state,
        "published_on": call.published_on,
        "submission_closes_at": call.submission_closes_at,
    }


@router.get("/calls", response=list[CallOut], summary="本市申报通知", url_name="v1_calls")
def list_calls(request):
    calls = selectors.list_published_calls_of_city(city=get_city_of_user(request.auth)).select_related("city")
    return [_call_out(call) for call in calls]


@router.get("/calls/{slug}", response=CallDetailOut, summary="申报通知详情", url_name="v1_call")
def get_call(request, slug: str):
    call = city_call(request, slug)
    types = selectors.list_project_types(call=call)
    return {
        **_call_out(call),
        "project_types": [
            {
                "code": project_type.code,
                "name": project_type.name,
                "quota_min": project_type.quota_min,
                "quota_max": project_type.quota_max,
                "funding_amount": project_type.funding_amount,
            }
            for project_type in types
        ],
    }
