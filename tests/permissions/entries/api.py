"""The django-ninja API root (shenbao/api.py, mounted at /api/): its schema and its root. The apps' operations have
their entries in their own files (scoring.py for /api/scoring/)."""

from tests.permissions.dsl import APPLICANT, LOGGED_IN, ROLES, allow, expect, get

ENTRIES = [
    # The OpenAPI schema is for staff and the API's clients (experts score through it), not applicant units.
    get(
        "api:openapi-json",
        allow(*(role for role in LOGGED_IN if role != APPLICANT)),
        denied=404,
        anonymous=401,
    ),
    # ninja's root only helps it build URLs: it answers 404 to everybody.
    get("api:api-root", expect(404, ROLES), note="django-ninja's root view always raises Http404"),
]
