"""/api/v1/ through HTTP with the real middleware stack: the pages of the system administrator, the documentation
page under the CSP, the schema for key holders, the rate limit per key, and the results and designated units."""

import pytest
from django.test import Client

from shenbao.apiaccess.models import ServiceAccount
from shenbao.audit.models import AuditEntry
from tests.core.test_cities import designate
from tests.factories import UserFactory
from tests.web import WebUser

pytestmark = pytest.mark.django_db

PASSWORD = "Test#pass2022"


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_the_list_shows_the_prefix_never_the_key_and_the_form_refuses_a_far_expiry(city_key, sysadmin):
    account, key = city_key
    web = WebUser()
    web.log_in("sysadmin", PASSWORD)
    page = web.get("/api-access/").content.decode()
    assert account.key_prefix in page and key not in page and account.key_digest not in page
    refused = web.post(
        "/api-access/new/",
        {"name": "太久", "organisation": account.organisation_id, "role": "city_reviewer", "expires_on": "2999-01-01"},
    )
    assert refused.status_code == 200 and "有效期须在今天至365天之内。" in refused.content.decode()
    assert ServiceAccount.objects.count() == 1


def test_a_revocation_without_a_reason_is_refused_on_the_page(city_key, sysadmin):
    account, _key = city_key
    web = WebUser()
    web.log_in("sysadmin", PASSWORD)
    page = web.post(f"/api-access/{account.public_id}/revoke/", {"reason": ""})
    assert page.status_code == 200 and ServiceAccount.objects.get().status == "active"


def test_the_documentation_page_loads_the_vendored_swagger_ui_under_the_csp(city_key):
    account, _key = city_key
    staff = UserFactory(organisation=account.organisation, roles=["city_reviewer"])
    web = WebUser()
    web.log_in(staff.username, PASSWORD)
    page = web.get("/api/v1/docs/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html and "/static/js/api-docs.js" in html
    assert 'data-schema-url="/api/v1/openapi.json"' in html
    assert "cdn" not in html.lower() and "unsafe-inline" not in page["Content-Security-Policy"]
    assert web.get("/api/v1/openapi.json").status_code == 200


def test_the_schema_is_served_to_a_key_holder_and_names_the_bearer_scheme(city_key):
    _account, key = city_key
    client = Client()
    schema = client.get("/api/v1/openapi.json", **bearer(key))
    assert schema.status_code == 200
    assert {"type": "http", "scheme": "bearer"}.items() <= schema.json()["components"]["securitySchemes"][
        "ServiceKeyAuth"
    ].items()
    assert client.get("/api/v1/openapi.json", **bearer(key + "0")).status_code == 401
    assert client.get("/api/v1/openapi.json").status_code == 401


def test_calls_with_one_key_are_limited_and_the_refusal_is_audited(city_key, settings):
    settings.SHENBAO_API_RATE_LIMIT = {"attempts": 2, "window": 60}
    _account, key = city_key
    client = Client()
    statuses = [client.get("/api/v1/calls", **bearer(key)).status_code for _ in range(3)]
    limited = client.get("/api/v1/calls", **bearer(key))
    assert statuses == [200, 200, 429] and limited["Retry-After"] == "60"
    outcomes = [
        entry.additional_data["outcome"] for entry in AuditEntry.objects.filter(event="api:call").order_by("sequence")
    ]
    assert outcomes == ["accepted", "accepted", "limited", "limited"]


def test_a_key_sent_to_an_unknown_path_is_audited_with_its_prefix(city_key):
    account, key = city_key
    assert Client().get("/api/v1/nothing-here", **bearer(key)).status_code == 404
    entry = AuditEntry.objects.get(event="api:call")
    assert entry.additional_data["key_prefix"] == account.key_prefix
    assert (entry.additional_data["status"], entry.additional_data["outcome"]) == (404, "unchecked")


def test_results_and_designated_units_of_the_city_call(city_key, two_cities):
    _account, key = city_key
    awarded = designate(two_cities["jincheng_application"], sequence=1)
    client = Client()
    jincheng, changzhi = two_cities["jincheng"].slug, two_cities["changzhi"].slug

    units = client.get(f"/api/v1/calls/{jincheng}/designated-units", **bearer(key))
    results = client.get(f"/api/v1/calls/{jincheng}/results", **bearer(key))

    assert units.status_code == 200
    assert [(row["application_number"], row["unit"]) for row in units.json()] == [
        (awarded.number, "晋城市接口测试机械有限公司")
    ]
    assert results.status_code == 200 and results.json() == {"call": jincheng, "notices": [], "ranking": None}
    assert client.get(f"/api/v1/calls/{changzhi}/designated-units", **bearer(key)).status_code == 404
    assert client.get(f"/api/v1/calls/{changzhi}/results", **bearer(key)).status_code == 404


def test_the_list_filters_by_call_and_state_and_pages(city_key, two_cities):
    _account, key = city_key
    client = Client()
    jincheng = two_cities["jincheng"].slug
    submitted = client.get(f"/api/v1/applications?call={jincheng}&status=submitted&page_size=1", **bearer(key))
    awarded = client.get("/api/v1/applications?status=awarded", **bearer(key))
    foreign = client.get(f"/api/v1/applications?call={two_cities['changzhi'].slug}", **bearer(key))
    bad = client.get("/api/v1/applications?status=nonsense", **bearer(key))
    assert submitted.json()["count"] == 1 and submitted.json()["page_size"] == 1
    assert awarded.json()["count"] == 0
    assert foreign.status_code == 404 and bad.status_code == 422


def test_the_scoring_operations_answer_a_service_account_as_a_non_expert(city_key):
    _account, key = city_key
    answer = Client().get("/api/v1/scoring/assignments", **bearer(key))
    assert answer.status_code == 403 and answer.json() == {"detail": "只有评审专家可以使用评分接口。"}
