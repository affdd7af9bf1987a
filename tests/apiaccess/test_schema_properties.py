"""A property-based run over /api/v1/'s OpenAPI schema (schemathesis, in `make test`): for every operation,
generated paths, queries and bodies are sent to the WSGI application in-process (the real middleware stack) with
a valid key, with a wrong key and with none. Checks: never a 5xx; a documented status answers with a body that
conforms to the schema; a wrong key or none always gets 401 (unless the URL itself does not resolve: 404)."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from shenbao.api import api_v1

pytestmark = pytest.mark.django_db

SCHEMA = schemathesis.openapi.from_dict(api_v1.get_openapi_schema())
SCHEMA.app = WSGIHandler()  # the WSGI transport: requests go to Django in-process, no server
SCHEMA.config.update(base_url="http://localhost")
WRONG_KEY = "sbk_00000000_" + "x" * 43


@pytest.fixture
def wsgi_app(settings):
    """Django's WSGI application, sharing the test's connection and transaction: the handler would close the
    connection at the end of each request (as Django's own test client prevents the same way)."""
    settings.SHENBAO_API_RATE_LIMIT = {"attempts": 100000, "window": 60}
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _resolves(path):
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


@SCHEMA.parametrize()
@hypothesis_settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_the_schema_holds_for_every_operation(case, wsgi_app, city_key, two_cities):
    _account, key = city_key
    # The credentials are this test's business: drop any the generator put in (its own security-scheme examples).
    case.headers = {name: value for name, value in (case.headers or {}).items() if name.lower() != "authorization"}
    case.cookies = {}
    response = case.call(headers={"Authorization": f"Bearer {key}"})
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
    path = case.formatted_path
    if not _resolves(path):
        refused = 404
    elif case.method.upper() != case.operation.method.upper():
        refused = 405  # a method the operation does not have: Django's answer before any authentication
    else:
        refused = 401
    if response.status_code == 400:
        # Refused for its form before any authentication (a NUL character: core.middleware.RejectNulMiddleware; a
        # body that is not the multipart it claims): the same answer whatever the key. After authentication the
        # API answers malformed input 422, and the key's caller is no expert, so the scoring operations never 400.
        refused = 400
    for headers in ({"Authorization": f"Bearer {WRONG_KEY}"}, {"Authorization": f"Bearer {key[:-1]}"}, {}):
        answer = case.call(headers=headers)
        assert answer.status_code == refused, (case.method, path, headers, answer.status_code)
