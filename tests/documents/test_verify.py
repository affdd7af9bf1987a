"""Public verification of a document's code: anonymous, nothing personal, no help for guessing, rate-limited."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shenbao.core import ratelimit
from shenbao.documents.selectors import find_verification, normalise_verification_code

from .builders import UNIT_PHONE, mark_submitted
from .filled import MEMBER_IDS

pytestmark = pytest.mark.django_db

NOT_FOUND = "未找到该核验码"


def verify_url(code):
    return reverse("verify:code", args=[code])


def test_urls_have_the_agreed_shape():
    assert reverse("verify:verify") == "/verify/"
    assert verify_url("ABCDEFGHJKMN") == "/verify/ABCDEFGHJKMN/"


def test_anonymous_visitor_checks_a_known_code_from_the_printed_url(client, workstation_application):
    response = client.get(verify_url(workstation_application.verification_code))

    assert response.status_code == 200
    content = response.content.decode()
    assert workstation_application.number in content
    assert "晋城市金鼎精密机械制造有限公司" in content
    assert "市级技师工作站" in content
    assert "关于开展2022年市级技师工作站和技能人才培养基地申报和评审工作的通知" in content
    assert "草稿" in content and "尚未提交" in content
    assert NOT_FOUND not in content


def test_the_form_accepts_a_code_typed_loosely(client, workstation_application):
    code = workstation_application.verification_code
    typed = f" {code[:4].lower()}-{code[4:8]} {code[8:].lower()} "

    response = client.get(reverse("verify:verify"), {"code": typed})

    assert workstation_application.number in response.content.decode()


def test_nothing_personal_is_shown(client, workstation_application):
    content = client.get(verify_url(workstation_application.verification_code)).content.decode()

    assert UNIT_PHONE not in content
    assert "李晓红" not in content  # the contact person
    assert workstation_application.unit.credit_code not in content
    for number in MEMBER_IDS:
        assert number[:6] + "*" not in content and number not in content
    assert "王建国" not in content


def test_submitted_version_and_generation_time_are_shown(
    client, workstation_application, django_capture_on_commit_callbacks
):
    submitted = mark_submitted(workstation_application)
    client.force_login(submitted.applicant)
    # The download queues the version's document; the worker renders it after the commit (the immediate backend).
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("documents:application_pdf", args=[submitted.public_id, "application-form"]))
    client.logout()

    content = client.get(verify_url(submitted.verification_code)).content.decode()

    assert "已提交，待资格初审" in content
    assert "2022-12-05 10:00" in content and "（第1版）" in content
    result = find_verification(code=submitted.verification_code)
    assert result.last_generated_at is not None
    assert result.latest_version == 1


@pytest.mark.parametrize("code", ["ABCDEFGHJKMN", "abc", "0000000000000", "<script>", "ZZZZ-ZZZZ-ZZZZ"])
def test_unknown_or_malformed_codes_get_the_same_answer(client, workstation_application, code):
    response = client.get(reverse("verify:verify"), {"code": code})

    assert response.status_code == 200
    assert NOT_FOUND in response.content.decode()
    assert workstation_application.number not in response.content.decode()


def test_unknown_code_in_the_url_gets_the_same_answer(client, db):
    response = client.get(verify_url("ABCDEFGHJKMN"))

    assert response.status_code == 200
    assert NOT_FOUND in response.content.decode()


def test_known_and_unknown_codes_cost_the_same_queries(workstation_application):
    find_verification(code="ABCDEFGHJKMN")  # warm the content-type cache

    with CaptureQueriesContext(connection) as known:
        assert find_verification(code=workstation_application.verification_code) is not None
    with CaptureQueriesContext(connection) as unknown:
        assert find_verification(code="ABCDEFGHJKMN") is None

    assert len(known) == len(unknown) == 1


def test_empty_form_shows_no_result(client, db):
    response = client.get(reverse("verify:verify"))

    content = response.content.decode()
    assert response.status_code == 200
    assert NOT_FOUND not in content
    assert 'name="code"' in content


def test_requests_beyond_the_limit_are_refused_in_chinese(client, settings, workstation_application):
    settings.SHENBAO_VERIFY_RATE_LIMIT = 3
    url = verify_url(workstation_application.verification_code)

    statuses = [client.get(url).status_code for _ in range(3)]
    refused = client.get(url)

    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    content = refused.content.decode()
    assert "核验请求过于频繁" in content
    assert workstation_application.number not in content


def test_the_limit_counts_per_address(client, settings, workstation_application):
    settings.SHENBAO_VERIFY_RATE_LIMIT = 1
    url = verify_url(workstation_application.verification_code)

    assert client.get(url, REMOTE_ADDR="10.0.0.1").status_code == 200
    assert client.get(url, REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.get(url, REMOTE_ADDR="10.0.0.2").status_code == 200


def test_rate_limit_boundary_and_new_window():
    limit = ratelimit.Limit(30, 60)
    allowed = [ratelimit.allow(scope="t", ident="a", limit=limit, now=120.0) for _ in range(31)]

    assert allowed.count(True) == 30
    assert allowed[-1] is False
    assert ratelimit.allow(scope="t", ident="a", limit=limit, now=180.0) is True


@pytest.mark.parametrize(
    ("raw", "expected"), [(" ab-cd ef_gh.jk ", "ABCDEFGHJK"), ("abcd·efgh", "ABCDEFGH"), (None, "")]
)
def test_normalise_verification_code(raw, expected):
    assert normalise_verification_code(raw) == expected
