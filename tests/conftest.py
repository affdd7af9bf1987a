import os

import pytest

pytest_plugins = ["tests.smtp"]

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls beside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def password():
    return "Test#pass2022"


def pytest_terminal_summary(terminalreporter):
    """The permission matrix's coverage line (tests/permissions/summary.py), also under xdist."""
    from tests.permissions.summary import write_summary

    write_summary(terminalreporter)
