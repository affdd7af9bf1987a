"""A browser-like test client: the full middleware stack, CSRF enforced, logged in through the log-in page.

Django's test `client` skips CSRF checks and `force_login` skips the log-in path (axes, the audit receivers, the
security gate). Tests of a user's path use `WebUser` instead, so they take exactly the route a browser takes.
"""

import re

from django.test import Client

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def mailed_link(body, path):
    """The path (and token) of the absolute link to `path` in an e-mail body, to open with a test client."""
    return re.search(rf"https?://[^/\s]+({re.escape(path)}\S+/)", body).group(1)


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


def registration_form(*, password, **fields):
    """The 单位注册 form filled as a clerk of a 沁水县 enterprise would; `fields` override single values."""
    return {
        "name": "晋城市测试精密制造有限公司",
        "credit_code": "91140500BJ1XG6128F",
        "unit_type": "enterprise",
        "location": "140521",
        "competent_department": "",
        "legal_representative": "张三",
        "contact_name": "李四",
        "contact_phone": "0356-1234567",
        "contact_email": "office@example.cn",
        "address": "山西省晋城市沁水县",
        "username": "jingmi",
        "full_name": "王经办",
        "email": "wang@example.cn",
        "phone": "13800000000",
        "password1": password,
        "password2": password,
        **fields,
    }
