"""A signed-in user as the production server sees one: cookies, CSRF, password and TOTP, over plain http.client.

The server runs the production profile behind where nginx would be: requests carry `X-Forwarded-Proto: https`
(gunicorn trusts it from 127.0.0.1), so Django applies its HTTPS rules (secure cookies, CSRF origin checks)
exactly as in production, without TLS on the loopback.
"""

from __future__ import annotations

import http.client
import re
import secrets
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class BenchError(RuntimeError):
    """The server did not behave as a signed-in user expects (a failed log-in, an error page)."""


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Session:
    host: str
    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    # The client's own address as the reverse proxy reports it (X-Forwarded-For; the bench's server trusts its
    # loopback as the proxy), so many clients are not one address to the per-address log-in limit.
    forwarded_for: str | None = None

    def connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host, self.port, timeout=120)

    def _headers(self) -> dict[str, str]:
        headers = {
            "Host": self.host,
            "X-Forwarded-Proto": "https",
            "Accept-Language": "zh-CN,zh;q=0.9",
            "Referer": f"https://{self.host}/",
            "Origin": f"https://{self.host}",
        }
        if self.forwarded_for:
            headers["X-Forwarded-For"] = self.forwarded_for
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        return headers

    def request(
        self,
        method: str,
        path: str,
        *,
        data: dict | None = None,
        files: dict[str, tuple[str, bytes]] | None = None,
        connection: http.client.HTTPConnection | None = None,
    ) -> Response:
        """One request; cookies set by the answer are kept. A given connection is reused (keep-alive). `files`
        ({field: (file name, content)}) sends the form as multipart/form-data, as a browser uploads."""
        own = connection is None
        conn = connection or self.connect()
        headers = self._headers()
        body = None
        if files:
            body, headers["Content-Type"] = _multipart(data or {}, files)
        elif data is not None:
            body = urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            raw = conn.getresponse()
            payload = raw.read()
        finally:
            if own:
                conn.close()
        seconds = time.perf_counter() - started
        for header in raw.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        return Response(raw.status, {key.lower(): value for key, value in raw.headers.items()}, payload, seconds)

    def post_form(self, path: str, data: dict) -> Response:
        """GET the page for its CSRF token, then POST the form with it (what a browser does)."""
        page = self.request("GET", path)
        match = CSRF_INPUT.search(page.text)
        if match is None:
            raise BenchError(f"{path}: no CSRF token on the page (HTTP {page.status})")
        return self.request("POST", path, data={**data, "csrfmiddlewaretoken": match.group(1)})


def _multipart(data: dict, files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = f"bench{secrets.token_hex(12)}"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in data.items()
    ]
    for name, (filename, content) in files.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
        parts.append(f"{head}Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def log_in(session: Session, *, username: str, password: str, totp_key: str | None) -> float:
    """Sign in through the log-in page (and the second-factor page when the server asks); returns the seconds the
    password POST took."""
    answer = session.post_form("/accounts/login/", {"username": username, "password": password})
    if answer.status != 302:
        raise BenchError(f"log-in of {username} refused (HTTP {answer.status})")
    if totp_key:
        from django_otp.oath import totp

        token = f"{totp(bytes.fromhex(totp_key)):06d}"
        verified = session.post_form("/security/otp/verify/", {"token": token})
        if verified.status != 302:
            raise BenchError(f"second factor of {username} refused (HTTP {verified.status})")
    return answer.seconds
