"""The SQL a request sends, split where its transaction opens: what a page reads before it takes its locks and
what the step does under them (the deadline rush's query pins, issue 18)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def post_and_split_statements(client, url, data=None):
    """POST `url` (answered with a redirect); the statements before its transaction opened and those from then on."""
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data or {})
    assert response.status_code == 302, response.status_code
    statements = [query["sql"] for query in queries.captured_queries]
    opened = next(index for index, sql in enumerate(statements) if sql.startswith(("SAVEPOINT", "BEGIN")))
    return statements[:opened], statements[opened:]
