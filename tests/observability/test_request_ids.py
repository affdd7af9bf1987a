"""Every request has an id: on the response, in the log lines and as the correlation id of its audit entries,
which the hash chain covers. A client cannot choose it; only our reverse proxy may hand one over."""

import io
import json
import logging
import re

import pytest
from django.core.management import call_command
from django.test import Client

from shenbao.accounts.roles import Role
from shenbao.audit import chain
from shenbao.audit.models import AuditEntry
from shenbao.audit.services import record_event
from shenbao.observability import context
from shenbao.observability.logs import JsonFormatter
from tests.factories import OrganisationFactory, UserFactory
from tests.web import WebUser

pytestmark = pytest.mark.django_db

GENERATED = re.compile(r"[0-9a-f]{32}")
PROXY = "192.0.2.1"


def test_every_response_carries_a_new_request_id(client):
    first, second = client.get("/"), client.get("/healthz")

    assert GENERATED.fullmatch(first["X-Request-ID"]) and GENERATED.fullmatch(second["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_the_request_id_of_a_trusted_proxy_is_kept(settings):
    settings.AUDIT_TRUSTED_PROXIES = [PROXY]

    response = Client(REMOTE_ADDR=PROXY).get("/healthz", HTTP_X_REQUEST_ID="9f86d081884c7d659a2feaa0c55ad015")

    assert response["X-Request-ID"] == "9f86d081884c7d659a2feaa0c55ad015"


@pytest.mark.parametrize(
    ("peer", "offered"),
    [
        ("198.51.100.7", "9f86d081884c7d659a2feaa0c55ad015"),  # not our proxy: anyone could send it
        (PROXY, "short"),
        (PROXY, "x" * 129),
        (PROXY, "two words here"),
        (PROXY, 'id"},{"level":"CRITICAL'),  # would forge a field in a log line
    ],
)
def test_any_other_request_id_is_replaced_by_a_new_one(settings, peer, offered):
    settings.AUDIT_TRUSTED_PROXIES = [PROXY]

    response = Client(REMOTE_ADDR=peer).get("/healthz", HTTP_X_REQUEST_ID=offered)

    assert GENERATED.fullmatch(response["X-Request-ID"])


def verify_chain():
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def test_audit_entries_carry_the_request_id_under_the_hash(password):
    # An entry written outside any request (as every entry before this change): no correlation id.
    before = record_event(event="test_event")
    assert before.cid is None
    user = UserFactory(organisation=OrganisationFactory(), roles=[Role.APPLICANT])
    browser = WebUser()
    # django-auditlog's own correlation header is a client's word: ignored. (It used to be stored as sent: 300
    # characters made the log-in's audit INSERT fail on PostgreSQL's varchar(255), a 500 for the log-in.)
    browser.client.defaults["HTTP_X_CORRELATION_ID"] = "chosen-by-the-client-" + "x" * 300

    response = browser.log_in(user.username, password)

    entry = AuditEntry.objects.filter(event="login").latest("sequence")
    assert entry.cid == response["X-Request-ID"]
    # The id is part of what is hashed: the stored hash holds for it and for no other value.
    assert entry.entry_hash == chain.compute_hash(entry, sequence=entry.sequence, previous_hash=entry.previous_hash)
    entry.cid = "another-request-id"
    assert entry.entry_hash != chain.compute_hash(entry, sequence=entry.sequence, previous_hash=entry.previous_hash)
    assert "审计记录哈希链校验通过" in verify_chain()


def test_data_changes_audited_by_auditlog_carry_the_request_id_too():
    context.request_id.set("0123456789abcdef-req")
    try:
        organisation = OrganisationFactory()
    finally:
        context.forget_request()

    entry = AuditEntry.objects.get_for_object(organisation).get(event="create")
    assert entry.cid == "0123456789abcdef-req"
    assert "审计记录哈希链校验通过" in verify_chain()


@pytest.fixture
def json_lines():
    """What the `django.request` logger writes, one parsed JSON object per line (the production formatter)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter(time_zone="Asia/Shanghai"))
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        logger.removeHandler(handler)


def test_log_lines_name_the_time_zone_the_request_and_the_user(json_lines, password):
    user = UserFactory(organisation=OrganisationFactory(), roles=[Role.APPLICANT])
    browser = WebUser()
    browser.log_in(user.username, password)

    response = browser.get("/audit/")  # the audit trail is not disclosed to an applicant: 404, logged by Django

    assert response.status_code == 404
    (line,) = json_lines()
    assert line["time"].endswith("+08:00")
    assert {key: line[key] for key in ("level", "logger", "message", "request_id", "user_id")} == {
        "level": "WARNING",
        "logger": "django.request",
        "message": "Not Found: /audit/",
        "request_id": response["X-Request-ID"],
        "user_id": user.pk,
    }


def test_an_exception_is_logged_with_its_traceback():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter(time_zone="UTC"))
    logger = logging.getLogger("shenbao.tests.observability")
    logger.addHandler(handler)
    try:
        try:
            raise ValueError("材料解析失败")
        except ValueError:
            logger.exception("处理失败")
    finally:
        logger.removeHandler(handler)

    line = json.loads(stream.getvalue())
    assert line["message"] == "处理失败" and line["time"].endswith("+00:00")
    assert line["exception"].startswith("Traceback") and line["exception"].endswith("材料解析失败")
    assert "request_id" not in line and "user_id" not in line  # outside a request
