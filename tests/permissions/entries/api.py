"""The django-ninja API root (shenbao/api.py, mounted at /api/): its schema and its root. The apps' operations have
their entries in their own files (scoring.py for /api/scoring/)."""

from tests.permissions.dsl import LOGGED_IN, ROLES, allow, expect, get

ENTRIES = [
    # The OpenAPI schema describes the operations, not data; any signed-in user may read it (no interactive docs).
    get("api:openapi-json", allow(LOGGED_IN)),
    # ninja's root only helps it build URLs: it answers 404 to everybody.
    get("api:api-root", expect(404, ROLES), note="django-ninja's root view always raises Http404"),
]
