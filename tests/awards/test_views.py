"""The award page and the PDF downloads: who may open them, the award through the page, query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shenbao.accounts.roles import Role
from shenbao.applications.workflow import ApplicationStatus
from shenbao.awards.models import Designation, Plaque
from shenbao.awards.services import award_applications, save_designation
from tests.factories import UserFactory
from tests.opinions.builders import reload

from .builders import AFTER_NOTICE

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(in_notice, call_admin_user, hr_reviewer):
    return {
        "call_admin": call_admin_user,
        "city_reviewer": hr_reviewer,
        "applicant": UserFactory(organisation=in_notice[0].unit, roles=[Role.APPLICANT]),
        "other_applicant": UserFactory(organisation=in_notice[1].unit, roles=[Role.APPLICANT]),
    }


def status_of(client, user, url):
    client.force_login(user)
    return client.get(url).status_code


def test_award_page_is_for_the_call_administrator(client, people):
    url = reverse("awards:award")

    assert {who: status_of(client, user, url) for who, user in people.items()} == {
        "call_admin": 200,
        "city_reviewer": 403,
        "applicant": 403,
        "other_applicant": 403,
    }
    client.logout()
    assert client.get(url).status_code == 302


def test_awarding_through_the_page(client, people, in_notice):
    client.force_login(people["call_admin"])
    url = reverse("awards:award")
    chosen = [str(application.public_id) for application in in_notice]

    refused = client.post(url, {"action": "award", "selected": chosen})
    assert "请先填写命名文件" in refused.content.decode()
    saved = client.post(
        url, {"action": "designation", "document_number": "晋市人社发〔2022〕88号", "issued_on": "2022-12-20"}
    )
    assert saved.status_code == 302
    response = client.post(url, {"action": "award", "selected": chosen})

    assert response.status_code == 302
    assert [reload(application).status for application in in_notice] == [ApplicationStatus.AWARDED] * 2
    assert Designation.objects.get().document_number == "晋市人社发〔2022〕88号"


def test_pdf_downloads_are_for_the_administrator_and_the_unit(client, people, in_notice, call):
    designation = save_designation(
        call=call, actor=people["call_admin"], document_number="", issued_on=datetime.date(2022, 12, 20)
    )
    award_applications(applications=in_notice[:1], actor=people["call_admin"], designation=designation, at=AFTER_NOTICE)
    plaque = Plaque.objects.get()
    plaque_url = reverse("awards:plaque_pdf", args=[plaque.public_id])
    designation_url = reverse("awards:designation_pdf", args=[designation.public_id])

    assert {who: status_of(client, user, plaque_url) for who, user in people.items()} == {
        "call_admin": 200,
        "city_reviewer": 404,
        "applicant": 200,
        "other_applicant": 404,
    }
    # The other unit is not awarded (yet), so the document does not name it.
    assert {who: status_of(client, user, designation_url) for who, user in people.items()} == {
        "call_admin": 200,
        "city_reviewer": 404,
        "applicant": 200,
        "other_applicant": 404,
    }


# The award page's queries, exactly: two candidates; one candidate and one plaque (the plaque table appears, one
# query for it); two plaques and no candidate (a second plaque adds nothing).
AWARD_PAGE_QUERIES = (13, 14, 13)


def test_award_page_queries_do_not_grow_with_rows(client, people, in_notice, call):
    client.force_login(people["call_admin"])
    url = reverse("awards:award")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    designation = save_designation(
        call=call, actor=people["call_admin"], document_number="", issued_on=datetime.date(2022, 12, 20)
    )
    two_candidates = count()
    award_applications(applications=in_notice[:1], actor=people["call_admin"], designation=designation, at=AFTER_NOTICE)
    one_candidate_one_plaque = count()
    award_applications(applications=in_notice[1:], actor=people["call_admin"], designation=designation, at=AFTER_NOTICE)
    two_plaques = count()

    assert (two_candidates, one_candidate_one_plaque, two_plaques) == AWARD_PAGE_QUERIES
