"""/api/v1/calls/{slug}/results shows the ranking as the platform shows it: to the call's administrator (技能办) —
a service account of the 技能办 reads it with the scores — and to no other role (the city's reviewers read the
公示 only), through HTTP with a key."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from shenbao.accounts.roles import Role
from shenbao.apiaccess.services import create_service_account
from shenbao.organisations.models import Organisation
from tests.factories import PlatformFactory, UserFactory
from tests.scoring.builders import uniform

pytestmark = pytest.mark.django_db


def key_for(body, role):
    sysadmin = UserFactory(organisation=PlatformFactory(), roles=[Role.SYSTEM_ADMIN])
    _account, key = create_service_account(
        name="接口",
        organisation=Organisation.objects.get(name=body),
        role=role,
        expires_on=timezone.localdate() + datetime.timedelta(days=1),
        actor=sysadmin,
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_the_skills_office_key_reads_the_ranking_and_a_reviewer_key_does_not(call, make_scored):
    first = make_scored("晋城市排名第一有限公司", uniform(60, 25))
    second = make_scored("晋城市排名第二有限公司", uniform(55, 20))
    pending = make_scored("晋城市未评完有限公司", uniform(55, 20, experts=2))
    url = f"/api/v1/calls/{call.slug}/results"

    office = Client().get(url, **key_for("晋城市人力资源和社会保障局技能办", Role.CALL_ADMIN))
    reviewer = Client().get(url, **key_for("晋城市人力资源和社会保障局", Role.CITY_REVIEWER))

    assert office.status_code == 200 and reviewer.status_code == 200
    workstation = next(part for part in office.json()["ranking"] if part["project_type"] == "workstation")
    assert [(row["position"], row["application_number"]) for row in workstation["rows"]] == [
        (1, first.number),
        (2, second.number),
    ]
    assert [float(workstation["rows"][0][part]) for part in ("final", "material", "defence")] == [85, 60, 25]
    assert workstation["pending"] == 1 and pending.number not in str(workstation["rows"])
    assert reviewer.json()["ranking"] is None
