"""A browser-like test client: the full middleware stack, CSRF enforced, logged in through the log-in page.

Django's test `client` skips CSRF checks and `force_login` skips the log-in path (axes, the audit receivers, the
security gate). Tests of a user's path use `WebUser` instead, so they take exactly the route a browser takes.
"""

import re

from django.test import Client

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class WebUser:
    def __init__(self, *, remote_addr="192.0.2.10"):
        self.client = Client(enforce_csrf_checks=True, REMOTE_ADDR=remote_addr)

    def csrf_token(self, url):
        """The token of the form on `url` (a GET, as a browser loads the page before posting)."""
        page = self.client.get(url).content.decode()
        match = CSRF_INPUT.search(page)
        if match:
            return match.group(1)
        return self.client.cookies["csrftoken"].value

    def attempt_log_in(self, username, password):
        """Submit the log-in form as a browser does; the response (302 on success, the form again otherwise)."""
        token = self.csrf_token("/accounts/login/")
        return self.client.post(
            "/accounts/login/", {"username": username, "password": password, "csrfmiddlewaretoken": token}
        )

    def log_in(self, username, password):
        response = self.attempt_log_in(username, password)
        assert response.status_code == 302, f"log-in of {username} failed ({response.status_code})"
        return response

    def get(self, url, **kwargs):
        return self.client.get(url, **kwargs)

    def post(self, url, data=None, *, form_url=None, **kwargs):
        """POST `data` with the CSRF token of the page at `form_url` (default: `url`) as a browser would."""
        token = self.csrf_token(form_url or url)
        return self.client.post(url, {**(data or {}), "csrfmiddlewaretoken": token}, **kwargs)
