"""Helpers of the funding tests: designated (授牌) applications without the twenty steps before the award.

`designate` gives a started application the state the award step leaves behind (a plaque in a designation
document, status 已授牌), so tests can have many records; the end-to-end path through the real award step is
covered by `tests/funding/test_award_opens_record.py` with the award tests' fixtures.
"""

import datetime

from shenbao.accounts.roles import Role
from shenbao.applications.models import Application
from shenbao.applications.workflow import ApplicationStatus
from shenbao.awards.models import Designation, Plaque
from shenbao.organisations.models import Organisation
from tests.factories import UserFactory

DESIGNATED_ON = datetime.date(2022, 12, 20)
AFTER_DESIGNATION = datetime.datetime(2023, 1, 10, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
PASSED_ON = datetime.date(2025, 3, 15)
LATER = datetime.datetime(2025, 4, 1, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


def reload(application):
    return Application.objects.get(pk=application.pk)


def designate(application, *, issued_on=DESIGNATED_ON, admin=None):
    """Give `application` its plaque in the call-wide designation and the 已授牌 state."""
    admin = admin or UserFactory(
        organisation=Organisation.objects.get(name="晋城市人力资源和社会保障局技能办"), roles=[Role.CALL_ADMIN]
    )
    designation, _created = Designation.objects.get_or_create(
        call=application.call,
        project_type=None,
        defaults={"title": "关于命名的通知", "issued_on": issued_on, "issuing_bodies": [], "created_by": admin},
    )
    sequence = Plaque.objects.filter(application__project_type=application.project_type).count() + 1
    Plaque.objects.create(
        application=application,
        designation=designation,
        title=application.project_type.plaque_title,
        number=f"{application.project_type.code[:4].upper()}-{application.call.year}-{sequence:02d}",
        sequence=sequence,
        issued_on=issued_on,
    )
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.AWARDED)
    return reload(application)
