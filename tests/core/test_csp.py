"""The Content-Security-Policy header forbids inline and eval'd scripts on every page."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.csp import CSP

pytestmark = pytest.mark.django_db


def directives(header):
    result = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            result[words[0]] = words[1:]
    return result


def script_sources(response):
    policy = directives(response.headers["Content-Security-Policy"])
    return policy.get("script-src", policy.get("default-src"))


@pytest.mark.parametrize("url_name", ["core:home", "calls:list", "accounts:login"])
def test_public_pages_forbid_inline_and_eval_scripts(client, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == 200
    sources = script_sources(response)
    assert "'self'" in sources
    assert "'unsafe-inline'" not in sources
    assert "'unsafe-eval'" not in sources


def test_signed_in_page_has_the_same_policy(client, applicant):
    client.force_login(applicant)

    response = client.get(reverse("core:dashboard"))

    sources = script_sources(response)
    assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources
    policy = directives(response.headers["Content-Security-Policy"])
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_error_page_carries_the_policy(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "'unsafe-inline'" not in script_sources(response)


def test_configured_policy_uses_nonces_not_unsafe_inline():
    flat = " ".join(" ".join(map(str, values)) for values in settings.SECURE_CSP.values())

    assert "unsafe-inline" not in flat and "unsafe-eval" not in flat
    assert CSP.NONCE in settings.SECURE_CSP["script-src"]


def test_page_loads_scripts_from_static_files_only(client):
    content = client.get(reverse("core:home")).content.decode()

    scripts = re.findall(r"<script\b[^>]*>", content)
    assert scripts, "the layout loads Bootstrap, htmx and shenbao.js"
    assert all(re.search(r'\ssrc="/static/', tag) for tag in scripts)
    # No asset from another host: every src/href is a path on this server (a CSRF token may contain "cdn").
    assert not re.findall(r'(?:src|href)="(?:https?:)?//', content)
    # htmx must not inject its inline indicator style (CSP would block it).
    assert '"includeIndicatorStyles": false' in content
