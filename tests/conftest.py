import gc
import io
import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.utils import translation

from shenbao.notifications.message_selectors import TEMPLATED_EVENTS_KEY
from tests import dbsequences, dbtemplate

# Fixtures shared by more than one app's tests, registered once here (tests/fixtures/__init__.py says what goes
# where); each app's conftest.py holds only its own.
pytest_plugins = [
    "tests.smtp",
    "tests.fixtures.reference",
    "tests.fixtures.applications",
    "tests.fixtures.review",
    "tests.fixtures.opinions",
    "tests.fixtures.scoring",
    "tests.fixtures.notices",
    "tests.fixtures.awards",
    "tests.fixtures.documents",
]

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls beside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """The test database is a copy of one migrated template per run (tests/dbtemplate.py), not migrated per worker."""
    with django_db_blocker.unblock():
        created = dbtemplate.create_test_database()
    yield
    with django_db_blocker.unblock():
        dbtemplate.destroy_test_database(*created)


# What makes a test use the database (pytest-django's marker, or a fixture that needs one).
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


@pytest.fixture(autouse=True)
def _postgres_keys_as_on_a_fresh_copy(request, django_db_blocker):
    """On PostgreSQL, the sequences a rolled-back test moved are set back before the next (tests/dbsequences.py).

    Autouse, so it runs before the test's own fixtures make any row."""
    uses_database = request.node.get_closest_marker("django_db") or DATABASE_FIXTURES & set(request.fixturenames)
    if uses_database and connection.vendor == "postgresql":
        request.getfixturevalue("django_db_setup")
        with django_db_blocker.unblock():
            dbsequences.rewind()
    yield


@pytest.fixture
def password():
    return "Test#pass2022"


# Fixtures that load the shared reference data or a call (replayed after their first real load, tests/dbstate.py).
# They are set up before the test's other fixtures: a replay needs the state it was recorded from, and a user or
# unit created first (with a factory's next sequence number) would make each test's state new and the load real.
LOADED_FIRST = ("reference", "call", "jincheng_call")


def pytest_collection_modifyitems(items):
    for item in items:
        names = getattr(item, "fixturenames", None)
        if not names or not any(name in names for name in LOADED_FIRST):
            continue
        first = [name for name in LOADED_FIRST if name in names]
        # After the higher-scoped and autouse fixtures (the database set-up), before the test's own arguments and
        # what they need, which keep their order.
        own = [names.index(name) for name in item._fixtureinfo.argnames if name in names]
        position = min([names.index(name) for name in first] + own)
        rest = [name for name in names[position:] if name not in first]
        names[position:] = first + rest


def pytest_terminal_summary(terminalreporter):
    """The permission matrix's coverage line (tests/permissions/summary.py), also under xdist."""
    from tests.permissions.summary import write_summary

    write_summary(terminalreporter)


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """Each request activates its language in the thread (ChosenLanguageMiddleware) and nothing resets it, so a
    test that ended on an English page would leave the next test in that worker rendering English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _no_message_templates_cached():
    """Every test starts and ends with the cached map of templated notification events (`notifications.
    message_selectors.map_templated_events`) saying what its database holds at the start: no template. Otherwise a
    cold cache (the first test of a worker, or a minute after the last rebuild) or a map cached inside a test whose
    templates were rolled back would add a query to whatever notification comes next, and exact query pins would
    depend on the order the tests ran in. Tests that save a template invalidate it as the service does."""
    cache.set(TEMPLATED_EVENTS_KEY, {}, timeout=None)
    yield
    cache.set(TEMPLATED_EVENTS_KEY, {}, timeout=None)


@pytest.fixture(autouse=True)
def audit_chain_verified_at_the_end(request):
    """Every real-browser test (every test with a live server) ends with `manage.py audit_verify`: whatever the
    pages wrote, the audit chain must be whole.

    The chain once broke only when django-auditlog's middleware filled fields inside real requests, which no
    service test saw; the journeys are where every middleware runs.
    """
    if "live_server" not in request.fixturenames:
        yield
        return
    # Set the live server (and its database) up first, so this check runs before they are torn down.
    request.getfixturevalue("live_server")
    yield
    out = io.StringIO()
    call_command("audit_verify", stdout=out)  # raises CommandError naming the record on a break
    assert "审计记录哈希链校验通过" in out.getvalue()


def pytest_collection_finish(session):
    """Everything imported by now (Django, the apps, every test module, hypothesis, playwright) lives as long as the
    process: `gc.freeze()` takes it out of the collector's view. Every later collection, the automatic ones and the
    full one after each rendered document (`documents.pdf.release_render_memory`), then walks only what the tests
    made, not the hundreds of thousands of objects of the imported code."""
    gc.collect()
    gc.freeze()
