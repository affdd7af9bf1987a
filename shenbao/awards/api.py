"""The designated (授牌) units of a call, read through `/api/v1/calls/{slug}/designated-units` (router mounted by
`shenbao.api`): what the portal's archive and the plaque verification publish — unit, project type, plaque and
designation document. The call must be one of the caller's city (else 404)."""

import datetime

from ninja import Router, Schema

from shenbao.accounts.rules import get_city_of_user
from shenbao.calls.selectors import get_published_call_of_city
from shenbao.core.http import or_404

from . import selectors

router = Router(tags=["授牌单位"])


class DesignatedUnitOut(Schema):
    application_number: str
    unit: str
    county: str
    project_type: str
    plaque_title: str
    plaque_number: str
    issued_on: datetime.date
    designation_title: str
    designation_number: str


@router.get(
    "/calls/{slug}/designated-units",
    response=list[DesignatedUnitOut],
    summary="授牌单位",
    url_name="v1_designated_units",
)
def list_designated_units(request, slug: str):
    call = or_404(get_published_call_of_city, city=get_city_of_user(request.auth), slug=slug)
    return [
        {
            "application_number": application.number,
            "unit": application.unit.name,
            "county": application.unit.region.name if application.unit.region_id else "",
            "project_type": application.project_type.name,
            "plaque_title": application.plaque.title,
            "plaque_number": application.plaque.number,
            "issued_on": application.plaque.issued_on,
            "designation_title": application.plaque.designation.title,
            "designation_number": application.plaque.designation.document_number,
        }
        for application in selectors.list_designated_applications(call=call)
    ]
