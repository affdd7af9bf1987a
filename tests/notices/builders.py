"""Helpers of the 公示 tests: the publication dates and answered opinion requests."""

import datetime

from shenbao.opinions.models import OpinionRequest
from tests.applications.builders import BEIJING, IN_TIME

# Publication: Monday 2022-12-19, Beijing time; the default period (5 working days, first day counted) ends Friday.
PUBLISH_AT = datetime.datetime(2022, 12, 19, 9, 0, tzinfo=BEIJING)
START = datetime.date(2022, 12, 19)
END = datetime.date(2022, 12, 23)


def answer_opinions(*, application, department, admin, response=OpinionRequest.Response.NO_OBJECTION):
    OpinionRequest.objects.create(
        application=application,
        department=department,
        basis=OpinionRequest.Basis.CONSULTED,
        due_on=datetime.date(2022, 12, 16),
        requested_at=IN_TIME,
        requested_by=admin,
        response=response,
        responded_at=IN_TIME if response else None,
    )
