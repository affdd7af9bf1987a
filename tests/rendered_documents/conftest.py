"""A submitted workstation application of the real 2022 call, submitted through the pages, and a counting spy on
the two renderers (WeasyPrint's layout, python-docx's writer) that tells renders inside a web request apart."""

import pytest
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.urls import reverse

from tests.web import WebUser


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The download limit and the drafts' documents live in the cache: every test starts from an empty one.
    cache.clear()
    yield
    cache.clear()


class RenderCount:
    """Renders seen, split by whether a web request was being answered at the time (request_started …
    request_finished, which Django's handler and the test client send around every request)."""

    def __init__(self):
        self.in_request = 0
        self.outside = 0
        self._requests = 0

    def started(self, **kwargs):
        self._requests += 1

    def finished(self, **kwargs):
        self._requests -= 1

    def wrap(self, original):
        def counted(*args, **kwargs):
            if self._requests > 0:
                self.in_request += 1
            else:
                self.outside += 1
            return original(*args, **kwargs)

        return counted


@pytest.fixture
def renders(monkeypatch):
    """Counts every PDF layout (weasyprint.HTML.render) and DOCX write (docx Document.save), unchanged otherwise."""
    import docx.document
    import weasyprint

    count = RenderCount()
    monkeypatch.setattr(weasyprint.HTML, "render", count.wrap(weasyprint.HTML.render))
    monkeypatch.setattr(docx.document.Document, "save", count.wrap(docx.document.Document.save))
    request_started.connect(count.started)
    request_finished.connect(count.finished)
    yield count
    request_started.disconnect(count.started)
    request_finished.disconnect(count.finished)


@pytest.fixture
def web_applicant(applicant, password):
    web = WebUser()
    web.log_in(applicant.username, password)
    return web


@pytest.fixture
def web_reviewer(county_reviewer, password):
    web = WebUser(remote_addr="192.0.2.20")
    web.log_in(county_reviewer.username, password)
    return web


@pytest.fixture
def submit_through_pages(ready_draft, open_call, web_applicant, django_capture_on_commit_callbacks):
    """Submit `ready_draft` on its page (CSRF on). The worker's tasks, enqueued after the commit, run when the
    returned function is called with run_worker=True (the immediate backend, outside the request)."""

    def submit(*, run_worker=True):
        url = reverse("applications:submit", args=[ready_draft.public_id])
        with django_capture_on_commit_callbacks(execute=run_worker) as callbacks:
            response = web_applicant.post(url)
        assert response.status_code == 302, response.content.decode()[:500]
        return callbacks

    return submit
