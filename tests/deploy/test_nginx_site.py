"""The nginx site of deploy/nginx: rendered by `manage.py render_nginx_site`, accepted by `nginx -t`, and served by a
real nginx in front of Django's live server (static files, the HTTPS redirect, the forwarding headers, protected
downloads through X-Accel-Redirect and the upload limit computed from the loaded calls)."""

import http.client
import importlib
import json
import pkgutil
import ssl
import subprocess
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from django.core.management import CommandError, call_command

import shenbao
from shenbao.calls.models import MaterialRequirement
from shenbao.core.uploads import UploadRule
from shenbao.operations import nginx_site
from shenbao.operations.nginx_site import FIXED_UPLOADS_MB
from tests.factories import load_call, load_reference

from .nginx import (
    SERVER_NAME,
    free_port,
    nginx_command,
    running_nginx,
    write_main_config,
    write_self_signed,
)

HASHED_STATIC = "js/app.0123456789ab.js"
MEDIA_NAME = "materials/3f/申报书 副本.pdf"
PDF_BYTES = b"%PDF-1.7\n% a stored file served by nginx, never by Python\n"


def render_site(folder: Path, **extra: object) -> Path:
    cert, key = write_self_signed(folder)
    site = folder / "shenbao.conf"
    options = {
        "server_names": [SERVER_NAME],
        "certificate": str(cert),
        "certificate_key": str(key),
        "static_root": str(folder / "static"),
        "media_root": str(folder / "media"),
        "output": str(site),
        **extra,
    }
    call_command("render_nginx_site", **options)
    return site


@pytest.mark.django_db
def test_rendered_site_passes_nginx_t_with_two_web_nodes(tmp_path):
    site = render_site(tmp_path, upstreams=["127.0.0.1:8001", "10.0.0.2:8000"])
    config = write_main_config(tmp_path, site=site)

    result = subprocess.run(nginx_command(config, "-t"), capture_output=True, text=True, timeout=30)

    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr and "test is successful" in result.stderr
    text = site.read_text()
    assert "server 127.0.0.1:8001 max_fails=3" in text and "server 10.0.0.2:8000 max_fails=3" in text
    # Nothing of the S3 location without an S3 endpoint; the file-system location is always there.
    assert "/_protected/s3/" not in text and "location /_protected/media/ {" in text


@pytest.mark.django_db
def test_client_max_body_size_follows_the_largest_material_of_the_loaded_calls(tmp_path):
    # Without a call only the fixed upload rules count (the largest is 20 MB), plus the 1 MB envelope.
    assert "client_max_body_size 21m;" in render_site(tmp_path).read_text()

    load_reference()
    load_call()
    MaterialRequirement.objects.filter(pk=MaterialRequirement.objects.order_by("pk").first().pk).update(max_size_mb=120)

    assert "client_max_body_size 121m;" in render_site(tmp_path).read_text()


def fixed_upload_rules() -> dict[str, UploadRule]:
    """Every UploadRule held by a module of shenbao (the rules fixed in code, not in a call file)."""
    found = {}
    for info in pkgutil.walk_packages(shenbao.__path__, "shenbao."):
        if ".migrations" in info.name or ".settings" in info.name or info.name.endswith("wsgi"):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, UploadRule):
                found[f"{info.name}.{name}"] = value
    return found


def test_no_upload_rule_fixed_in_code_is_larger_than_the_site_allows():
    rules = fixed_upload_rules()

    assert "shenbao.review.seals.SEAL_RULE" in rules and len(rules) >= 4
    assert {name: rule.max_size_mb for name, rule in rules.items() if rule.max_size_mb > FIXED_UPLOADS_MB} == {}


@pytest.mark.django_db
def test_an_s3_endpoint_adds_the_internal_s3_location_around_its_snippet(tmp_path, monkeypatch):
    # The location's body is the multi-node work's deploy/nginx/snippets/protected-s3.conf; a stand-in here.
    snippet = tmp_path / "protected-s3.conf"
    monkeypatch.setattr(nginx_site, "S3_SNIPPET", snippet)
    with pytest.raises(CommandError, match=r"protected-s3\.conf"):
        render_site(tmp_path, s3_endpoint="http://127.0.0.1:9000")
    snippet.write_text("proxy_pass $shenbao_s3_endpoint;\n")

    site = render_site(tmp_path, s3_endpoint="http://127.0.0.1:9000")

    text = site.read_text()
    assert (
        "location /_protected/s3/ {\n        internal;\n        set $shenbao_s3_endpoint http://127.0.0.1:9000;" in text
    )
    assert f"include {snippet};" in text
    result = subprocess.run(
        nginx_command(write_main_config(tmp_path, site=site), "-t"), capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("server_names", ["shenbao.test; include /etc/passwd"]),
        ("upstreams", ["127.0.0.1:8000 backup"]),
        ("media_root", "relative/media"),
        ("static_root", "/srv/static files"),
        ("s3_endpoint", "https://s3.internal/bucket"),
    ],
)
def test_inputs_that_would_break_the_configuration_are_refused(tmp_path, option, value):
    with pytest.raises(CommandError):
        render_site(tmp_path, **{option: value})


# --- A real nginx in front of Django's live server -------------------------------------------------------------


@pytest.fixture
def site_in_front_of_live_server(tmp_path, live_server, settings):
    """nginx with the rendered site, its one upstream being the live server with tests/deploy/urls.py mounted."""
    settings.ROOT_URLCONF = "tests.deploy.urls"
    settings.ALLOWED_HOSTS = [SERVER_NAME]
    settings.DEPLOY_TEST_MEDIA_NAME = MEDIA_NAME
    static = tmp_path / "static" / HASHED_STATIC
    static.parent.mkdir(parents=True)
    static.write_text("console.log('hashed');\n")
    (tmp_path / "static" / "js" / "app.js").write_text("console.log('plain');\n")
    stored = tmp_path / "media" / MEDIA_NAME
    stored.parent.mkdir(parents=True)
    stored.write_bytes(PDF_BYTES)
    http_port, https_port = free_port(), free_port()
    site = render_site(
        tmp_path,
        upstreams=[urlsplit(live_server.url).netloc.replace("localhost", "127.0.0.1")],
        http_port=http_port,
        https_port=https_port,
    )
    with running_nginx(write_main_config(tmp_path, site=site), http_port=http_port, https_port=https_port) as nginx:
        yield nginx, tmp_path / "site.crt"


def https_get(nginx, cert: Path, path: str, headers: dict[str, str] | None = None, method: str = "GET", body=None):
    context = ssl.create_default_context(cafile=str(cert))
    connection = http.client.HTTPSConnection("127.0.0.1", nginx.https_port, context=context, timeout=30)
    try:
        connection.request(method, path, body=body, headers={"Host": SERVER_NAME, **(headers or {})})
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_nginx_redirects_http_to_the_https_site(site_in_front_of_live_server):
    nginx, _cert = site_in_front_of_live_server
    connection = http.client.HTTPConnection("127.0.0.1", nginx.http_port, timeout=10)
    connection.request("GET", "/c/jincheng/?a=1", headers={"Host": "evil.example"})
    response = connection.getresponse()

    assert response.status == 301
    # To the configured name, never to the Host the client sent.
    assert response.getheader("Location") == f"https://{SERVER_NAME}:{nginx.https_port}/c/jincheng/?a=1"


@pytest.mark.django_db(transaction=True)
def test_nginx_serves_hashed_static_files_with_a_long_cache(site_in_front_of_live_server):
    nginx, cert = site_in_front_of_live_server

    response, body = https_get(nginx, cert, f"/static/{HASHED_STATIC}")
    assert response.status == 200 and body == b"console.log('hashed');\n"
    assert response.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Strict-Transport-Security").startswith("max-age=31536000;")

    response, _body = https_get(nginx, cert, "/static/js/app.js")
    assert response.status == 200 and response.getheader("Cache-Control") == "public, max-age=300"


@pytest.mark.django_db(transaction=True)
def test_nginx_replaces_the_clients_forwarding_headers(site_in_front_of_live_server):
    nginx, cert = site_in_front_of_live_server
    spoofed = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "http", "X-Forwarded-Host": "evil.example"}

    response, body = https_get(nginx, cert, "/echo-headers/", headers=spoofed)

    assert response.status == 200
    seen = json.loads(body)
    assert seen["x_forwarded_for"] == "127.0.0.1"
    assert seen["x_forwarded_proto"] == "https"
    assert seen["x_forwarded_host"] == ""
    assert len(seen["x_request_id"]) == 32
    # Django's own HSTS header is hidden: exactly one, nginx's.
    assert response.headers.get_all("Strict-Transport-Security") == ["max-age=31536000; includeSubDomains; preload"]


@pytest.mark.django_db(transaction=True)
def test_x_accel_redirect_serves_the_stored_file_from_the_media_alias(site_in_front_of_live_server):
    nginx, cert = site_in_front_of_live_server

    response, body = https_get(nginx, cert, "/accel-download/")

    assert response.status == 200
    assert body == PDF_BYTES
    # Django's headers survive the internal redirect; nginx adds the protection headers of the location.
    assert response.getheader("Content-Type") == "application/pdf"
    assert response.getheader("Content-Disposition").startswith("attachment;")
    assert "no-cache" in response.getheader("Cache-Control")
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Content-Security-Policy") == "default-src 'none'; sandbox"


@pytest.mark.django_db(transaction=True)
def test_the_protected_locations_cannot_be_asked_for_directly(site_in_front_of_live_server):
    nginx, cert = site_in_front_of_live_server

    response, body = https_get(nginx, cert, "/_protected/media/" + quote(MEDIA_NAME))

    assert response.status == 404
    assert PDF_BYTES not in body


@pytest.mark.django_db(transaction=True)
def test_a_body_over_the_computed_limit_is_refused_by_nginx(site_in_front_of_live_server):
    nginx, cert = site_in_front_of_live_server

    response, _body = https_get(nginx, cert, "/echo-headers/", method="POST", body=b"x" * (22 * 1024 * 1024))

    assert response.status == 413
