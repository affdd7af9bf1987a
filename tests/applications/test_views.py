"""Who may open which application page: every view × every role (200 / 302 to login / 403 / 404)."""

import pytest
from django.urls import reverse

from shenbao.accounts.roles import Role
from shenbao.applications.models import Application
from shenbao.applications.services import fire_transition

from .builders import IN_TIME

pytestmark = pytest.mark.django_db

PEOPLE = ("own", "other_unit", "county_same", "county_other", "city", "call_admin", "system_admin", "anonymous")


@pytest.fixture
def people(applicant, make_unit, make_applicant, county_reviewer, staff_of):
    return {
        "own": applicant,
        "other_unit": make_applicant(make_unit(name="晋城市另一家机械有限公司")),
        "county_same": county_reviewer,
        "county_other": staff_of("沁水县人力资源和社会保障局", Role.COUNTY_REVIEWER),
        "city": staff_of("晋城市人力资源和社会保障局", Role.CITY_REVIEWER),
        "call_admin": staff_of("晋城市人力资源和社会保障局技能办", Role.CALL_ADMIN),
        "system_admin": staff_of("申报评审平台运维中心", Role.SYSTEM_ADMIN),
        "anonymous": None,
    }


def reload(application):
    # refresh_from_db() would assign the protected FSM status field.
    return Application.objects.get(pk=application.pk)


def as_user(client, user):
    if user is not None:
        client.force_login(user)
    return client


def assert_status(response, expected):
    assert response.status_code == expected, response.content.decode()[:500]
    if expected == 302 and response.wsgi_request.user.is_anonymous:
        assert response["Location"].startswith(reverse("accounts:login"))


SEE_SUBMITTED = {
    "own": 200,
    "other_unit": 404,
    "county_same": 200,
    "county_other": 404,
    "city": 200,
    "call_admin": 200,
    "system_admin": 404,
    "anonymous": 302,
}
SEE_DRAFT = {who: 404 for who in PEOPLE} | {"own": 200, "anonymous": 302}


def read_pages(application):
    public_id = application.public_id
    return {
        "detail": reverse("applications:detail", args=[public_id]),
        "section": reverse("applications:section", args=[public_id, "members"]),
    }


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("page", ["detail", "section", "version"])
def test_reading_a_submitted_application(client, people, submitted, who, page):
    urls = read_pages(submitted) | {"version": reverse("applications:version", args=[submitted.public_id, 1])}
    assert_status(as_user(client, people[who]).get(urls[page]), SEE_SUBMITTED[who])


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("page", ["detail", "section", "submit"])
def test_a_draft_is_seen_only_by_its_unit(client, people, draft, who, page):
    urls = read_pages(draft) | {"submit": reverse("applications:submit", args=[draft.public_id])}
    assert_status(as_user(client, people[who]).get(urls[page]), SEE_DRAFT[who])


@pytest.mark.parametrize("who", PEOPLE)
def test_saving_a_section_needs_the_edit_permission(client, people, draft, who):
    url = reverse("applications:section", args=[draft.public_id, "unit_profile"])
    response = as_user(client, people[who]).post(url, {"industry": "装备制造", "expected_revision": draft.revision})
    assert_status(response, {"own": 302}.get(who, SEE_DRAFT[who]))
    draft = reload(draft)
    assert (draft.form_data.get("unit_profile", {}).get("industry") == "装备制造") is (who == "own")


@pytest.mark.parametrize("who", PEOPLE)
def test_nobody_edits_a_submitted_application(client, people, submitted, who):
    url = reverse("applications:section", args=[submitted.public_id, "unit_profile"])
    response = as_user(client, people[who]).post(url, {"industry": "改", "expected_revision": submitted.revision})
    expected = 403 if SEE_SUBMITTED[who] == 200 else SEE_SUBMITTED[who]
    assert_status(response, expected)
    submitted = reload(submitted)
    assert submitted.form_data["unit_profile"]["industry"] == "装备制造"


@pytest.mark.parametrize("who", PEOPLE)
def test_withdrawing_is_for_the_applicant_only(client, people, submitted, who):
    url = reverse("applications:transition", args=[submitted.public_id, "withdraw"])
    response = as_user(client, people[who]).post(url, {"comment": "不再申报"})
    expected = {"own": 302}.get(who, 403 if SEE_SUBMITTED[who] == 200 else SEE_SUBMITTED[who])
    assert_status(response, expected)
    submitted = reload(submitted)
    assert (submitted.status == "withdrawn") is (who == "own")


@pytest.mark.parametrize("who", ["own", "county_same"])
def test_submit_page_of_a_returned_application(client, people, submitted, county_reviewer, who):
    fire_transition(
        application=submitted,
        name="return_for_revision",
        actor=county_reviewer,
        comment="请补充成员证书。",
        payload={"resubmission_due": "2022-12-15"},
        at=IN_TIME,
    )
    response = as_user(client, people[who]).get(reverse("applications:submit", args=[submitted.public_id]))
    assert_status(response, {"own": 200, "county_same": 403}[who])


def test_submit_page_of_a_submitted_application_leads_to_the_status_page(client, applicant, submitted):
    response = as_user(client, applicant).get(reverse("applications:submit", args=[submitted.public_id]))
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:detail", args=[submitted.public_id])


@pytest.mark.parametrize("who", PEOPLE)
def test_list_page(client, people, submitted, who):
    response = as_user(client, people[who]).get(reverse("applications:list"))
    assert_status(response, 302 if who == "anonymous" else 200)
    if who != "anonymous":
        listed = [application.number for application in response.context["page_obj"]]
        assert listed == ([submitted.number] if SEE_SUBMITTED[who] == 200 else [])


@pytest.mark.parametrize("who", PEOPLE)
def test_start_page_is_for_applicants(client, people, open_call, who):
    response = as_user(client, people[who]).get(reverse("applications:start", args=[open_call.slug]))
    expected = {"own": 200, "other_unit": 200, "anonymous": 302}.get(who, 403)
    assert_status(response, expected)


def test_unknown_pages_answer_404(client, applicant, draft, open_call):
    client.force_login(applicant)
    assert client.get(reverse("applications:start", args=["no-such-call"])).status_code == 404
    assert client.get(reverse("applications:section", args=[draft.public_id, "no-such-section"])).status_code == 404
    assert client.get(reverse("applications:version", args=[draft.public_id, 1])).status_code == 404
    url = reverse("applications:transition", args=[draft.public_id, "return_for_revision"])
    assert client.post(url).status_code == 404
    assert client.get(reverse("applications:transition", args=[draft.public_id, "withdraw"])).status_code == 405


def test_navigation_offers_applications_to_applicants_and_reviewers(client, people):
    url = reverse("applications:list")
    for who in ("own", "county_same", "city", "call_admin"):
        client.force_login(people[who])
        assert f'href="{url}"' in client.get(reverse("core:dashboard")).content.decode(), who
    client.force_login(people["system_admin"])
    assert f'href="{url}"' not in client.get(reverse("core:dashboard")).content.decode()
