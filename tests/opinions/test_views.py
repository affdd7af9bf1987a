"""Pages of 征求意见: who may open each, the answer and decision forms, the PDF download, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shenbao.accounts.roles import Role
from shenbao.applications.workflow import ApplicationStatus
from shenbao.opinions.models import OpinionRequest
from tests.factories import UserFactory

from .builders import MARKET_BUREAU, OPINION_DUE, TAX_BUREAU, reload, user_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(soliciting, tax_user, call_admin_user, hr_reviewer, chengqu_reviewer):
    county_unit, _ = soliciting
    return {
        "call_admin": call_admin_user,
        "tax": tax_user,
        "county_reviewer": chengqu_reviewer,
        "market": user_of(MARKET_BUREAU, Role.CONSULTED_DEPARTMENT),
        "city_reviewer": hr_reviewer,
        "applicant": UserFactory(organisation=county_unit.unit, roles=[Role.APPLICANT]),
    }


def status_of(client, user, url, method="get", data=None):
    client.force_login(user)
    return getattr(client, method)(url, data or {}).status_code


PAGE_MATRIX = {
    "opinions:proposals": {"call_admin": 200, "tax": 403, "applicant": 403, "city_reviewer": 403},
    "opinions:progress": {"call_admin": 200, "tax": 403, "applicant": 403, "city_reviewer": 403},
    "opinions:inbox": {"call_admin": 403, "tax": 200, "county_reviewer": 200, "applicant": 403, "market": 200},
}


@pytest.mark.parametrize("url_name", sorted(PAGE_MATRIX))
def test_page_permission_matrix(client, people, url_name):
    url = reverse(url_name)
    for who, expected in PAGE_MATRIX[url_name].items():
        assert status_of(client, people[who], url) == expected, who
    client.logout()
    assert client.get(url).status_code == 302


def test_answer_page_is_there_only_for_the_addressed_department(client, people, soliciting):
    county_unit, _ = soliciting
    request = OpinionRequest.objects.get(application=county_unit, department__name=TAX_BUREAU)
    url = reverse("opinions:answer", args=[request.public_id])

    assert {who: status_of(client, people[who], url) for who in ("tax", "market", "applicant", "call_admin")} == {
        "tax": 200,
        "market": 404,
        "applicant": 404,
        "call_admin": 404,
    }
    assert status_of(client, people["market"], url, "post", {"response": "no_objection"}) == 404
    assert OpinionRequest.objects.get(pk=request.pk).is_open


def test_an_objection_posted_on_the_answer_page_holds_the_unit(client, people, soliciting):
    county_unit, _ = soliciting
    request = OpinionRequest.objects.get(application=county_unit, department__name=TAX_BUREAU)
    client.force_login(people["tax"])
    url = reverse("opinions:answer", args=[request.public_id])

    refused = client.post(url, {"response": "objection", "reason": ""})
    response = client.post(url, {"response": "objection", "reason": "存在欠税。"})

    assert refused.status_code == 200 and "须填写理由" in refused.content.decode()
    assert response.status_code == 302
    assert reload(county_unit).status == ApplicationStatus.OPINION_HOLD


def test_the_administrator_decides_on_the_progress_page(client, people, soliciting):
    county_unit, _ = soliciting
    request = OpinionRequest.objects.get(application=county_unit, department__name=TAX_BUREAU)
    client.force_login(people["tax"])
    client.post(reverse("opinions:answer", args=[request.public_id]), {"response": "objection", "reason": "欠税。"})
    decide = reverse("opinions:decide", args=[county_unit.public_id])

    assert status_of(client, people["tax"], decide, "post", {"decision": "overrule", "reason": "x"}) == 403
    client.force_login(people["call_admin"])
    progress = client.get(reverse("opinions:progress")).content.decode()
    # The held unit shows its state's label (from the workflow table) and the way to decide.
    assert str(ApplicationStatus.OPINION_HOLD.label) in progress and decide in progress
    response = client.post(decide, {"decision": "overrule", "reason": "已核实，不影响授牌。"})

    assert response.status_code == 302
    assert reload(county_unit).status == ApplicationStatus.SOLICITING


def test_opinion_form_download_matrix(client, people, soliciting):
    county_unit, _ = soliciting
    url = reverse("opinions:form_pdf", args=[county_unit.public_id])
    expected = {"call_admin": 200, "tax": 200, "county_reviewer": 200, "applicant": 200, "market": 404}
    expected["city_reviewer"] = 403  # sees the application, but the form is for the parties to the solicitation

    assert {who: status_of(client, people[who], url) for who in expected} == expected
    client.force_login(people["tax"])
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf" and response["Cache-Control"] == "private, no-store"


def test_the_proposals_page_proposes_within_the_quota(client, make_expert_review, call_admin_user, small_quota):
    applications = [make_expert_review(name=f"晋城市页面提名{n}有限公司") for n in range(3)]
    client.force_login(call_admin_user)
    url = reverse("opinions:proposals")
    chosen = [str(application.public_id) for application in applications]

    over = client.post(url, {"selected": chosen, "opinion_due": OPINION_DUE, "not_selected_reason": "名次靠后"})
    assert over.status_code == 200 and "最多2个" in over.content.decode()

    response = client.post(
        url, {"selected": chosen[:2], "opinion_due": "2099-01-01", "not_selected_reason": "名次靠后"}
    )
    assert response.status_code == 302
    assert [reload(application).status for application in applications] == ["soliciting", "soliciting", "not_selected"]


def test_the_proposals_page_picks_the_call_and_type_like_every_administrator_page(
    client, make_expert_review, call_admin_user
):
    application = make_expert_review(name="晋城市选择类别有限公司")
    client.force_login(call_admin_user)
    url = reverse("opinions:proposals")

    page = client.get(f"{url}?call={application.call.slug}&type={application.project_type.code}")

    assert page.status_code == 200
    assert f'href="?call={application.call.slug}&amp;type={application.project_type.code}"' in page.text
    assert 'aria-current="page"' in page.text
    # A type or call that is not one of the city's (calls.picker): 404, like any object out of scope.
    assert client.get(f"{url}?type=nope").status_code == 404
    assert client.get(f"{url}?call=no-such-call").status_code == 404


# The whole page's queries, exactly: the same with one row as with many, so a fixed extra query fails too.
PROPOSALS_QUERIES = 10
INBOX_QUERIES = 7
PROGRESS_QUERIES = 10


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_proposals_page_queries_do_not_grow_with_candidates(client, make_expert_review, call_admin_user):
    make_expert_review(name="晋城市查询一有限公司")
    client.force_login(call_admin_user)
    url = reverse("opinions:proposals")
    one = _count_queries(client, url)
    for n in range(2):
        make_expert_review(name=f"晋城市查询{n}号有限公司")
    assert (one, _count_queries(client, url)) == (PROPOSALS_QUERIES, PROPOSALS_QUERIES)


def test_inbox_and_progress_queries_do_not_grow_with_rows(client, make_expert_review, call_admin_user, tax_user):
    from .builders import propose

    first = make_expert_review(name="晋城市收件一有限公司")
    propose([first], call_admin_user)
    client.force_login(tax_user)
    inbox_one = _count_queries(client, reverse("opinions:inbox"))
    client.force_login(call_admin_user)
    progress_one = _count_queries(client, reverse("opinions:progress"))

    more = [make_expert_review(name=f"晋城市收件{n}号有限公司") for n in range(2)]
    propose(more, call_admin_user)

    client.force_login(tax_user)
    assert (inbox_one, _count_queries(client, reverse("opinions:inbox"))) == (INBOX_QUERIES, INBOX_QUERIES)
    client.force_login(call_admin_user)
    many = _count_queries(client, reverse("opinions:progress"))
    assert (progress_one, many) == (PROGRESS_QUERIES, PROGRESS_QUERIES)
