"""Two web nodes behind the nginx site, for tests/deploy/test_two_nodes.py: everything on this machine, on free ports,
in one temporary folder, stopped and removed afterwards.

- PostgreSQL: a database of its own (created and dropped here) on the server DATABASE_URL names;
- Redis: the machine's, a dedicated database number and key prefix (SHENBAO_CACHE_KEY_PREFIX), emptied afterwards;
- S3: moto's standalone server (`moto[server]`, a dev dependency: MinIO is not installable from PyPI, Debian or npm;
  moto speaks the S3 API, signed URLs and the response-header overrides the downloads use) with a private bucket;
- two gunicorn nodes (production profile, gunicorn.conf.py) and the task worker (`manage.py task_worker`);
- nginx with the site rendered by `manage.py render_nginx_site` for both nodes, plus a test-only overlay: the
  site's two upstream addresses are two small routers that pass each request to node A, or to node B when the
  request says `X-Shenbao-Node: B` (and the reverse), and name the node that answered (`X-Shenbao-Test-Node`). The
  production site itself is unchanged: the routers hand X-Accel-Redirect back to it untouched.
"""

import http.client
import json
import os
import re
import secrets
import signal
import socket
import ssl
import subprocess
import sys
import time
import uuid
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import psycopg
import pytest
import redis
from cryptography.fernet import Fernet

from tests.deploy.nginx import SERVER_NAME, free_port, running_nginx, write_main_config, write_self_signed

ROOT = Path(__file__).resolve().parent.parent.parent
PYTHON = sys.executable
BIN = Path(sys.executable).parent
BUCKET = "shenbao-two-nodes"
# Not the default (0) nor the low numbers a developer's own run may use.
REDIS_DB = 13
ROUTER = """
map $http_x_shenbao_node $shenbao_pin_{name} {{ default {own}; A {a}; B {b}; }}
server {{
    listen 127.0.0.1:{port};
    location / {{
        proxy_pass http://$shenbao_pin_{name};
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        # What the site set is passed on as it is: the nodes see the site's own headers.
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto;
        proxy_set_header X-Forwarded-For $http_x_forwarded_for;
        # The site, not this router, acts on X-Accel-Redirect.
        proxy_ignore_headers X-Accel-Redirect;
        proxy_pass_header X-Accel-Redirect;
        proxy_request_buffering off;
        client_max_body_size 0;
        add_header X-Shenbao-Test-Node $upstream_addr always;
    }}
}}
"""


@dataclass
class Cluster:
    folder: Path
    env: dict[str, str]
    https_port: int
    nodes: dict[str, str]  # "A" / "B" -> host:port of the gunicorn node
    routers: dict[str, str]  # "A" / "B" -> host:port of the overlay's router that prefers that node
    seed: dict[str, Any] = field(default_factory=dict)
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")

    def client(self) -> "Browser":
        return Browser(self)

    def access_log_line(self, path: str, *, containing: str) -> str:
        """The access-log line of the last request for `path` that contains `containing` (nginx logs the site's and
        the routers' requests in one file: `<uri> <status> upstream=<addresses> sent=<bytes>`)."""
        deadline = time.monotonic() + 5
        while True:  # nginx writes the line once the response is sent, a moment after the client has it
            for line in reversed(self.log("nginx-access").splitlines()):
                if line.startswith(f"{path} ") and containing in line:
                    return line
            if time.monotonic() > deadline:
                raise AssertionError(f"nginx logged no request for {path} with {containing!r}")
            time.sleep(0.1)


def _wait_for_port(port: int, process: subprocess.Popen[bytes], name: str, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.1)
    pytest.fail(f"{name} did not start:\n{log.read_text(errors='replace')[-4000:]}")


def _start(cluster: Cluster, name: str, args: list[str], **env: str) -> subprocess.Popen[bytes]:
    log = open(cluster.folder / f"{name}.log", "wb")  # noqa: SIM115 — closed with the process
    process = subprocess.Popen(args, cwd=ROOT, env={**cluster.env, **env}, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    cluster.processes.append(process)
    return process


def manage(cluster: Cluster, *args: str, settings: str = "shenbao.settings.production") -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env={**cluster.env, "DJANGO_SETTINGS_MODULE": settings},
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        pytest.fail(f"manage.py {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout


def task_worker_command() -> str:
    """Contracts point 1: `task_worker` (the observability branch); `db_worker` until that branch is merged."""
    from django.core.management import get_commands

    return "task_worker" if "task_worker" in get_commands() else "db_worker"


def _environment(folder: Path, *, database_url: str, s3_port: int, https_port: int, prefix: str) -> dict[str, str]:
    keep = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "SHENBAO_"))}
    for name in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS", "MEDIA_ROOT", "STATIC_ROOT"):
        keep.pop(name, None)
    origin = f"https://{SERVER_NAME}:{https_port}"
    return {
        **keep,
        "DJANGO_SETTINGS_MODULE": "shenbao.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "SHENBAO_DATA_KEYS": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": SERVER_NAME,
        "SHENBAO_PUBLIC_URL": origin,
        "CSRF_TRUSTED_ORIGINS": origin,
        "DATABASE_URL": database_url,
        "REDIS_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
        "SHENBAO_CACHE_KEY_PREFIX": prefix,
        "SHENBAO_MULTI_NODE": "1",
        "SHENBAO_MEDIA_STORAGE": "s3",
        "SHENBAO_S3_ENDPOINT_URL": f"http://127.0.0.1:{s3_port}",
        "SHENBAO_S3_BUCKET": BUCKET,
        "SHENBAO_S3_REGION": "us-east-1",
        "SHENBAO_S3_ACCESS_KEY_ID": "two-nodes",
        "SHENBAO_S3_SECRET_ACCESS_KEY": secrets.token_urlsafe(24),
        "SHENBAO_S3_ADDRESSING_STYLE": "path",
        "SHENBAO_ACCEL_REDIRECT_PREFIX": "/_protected/",
        "AUDIT_TRUSTED_PROXIES": "127.0.0.1",
        "STATIC_ROOT": str(folder / "static"),
        "MEDIA_ROOT": str(folder / "media-unused"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "4",
        "PYTHONUNBUFFERED": "1",
    }


@contextmanager
def _database(server_url: str) -> Any:
    name = f"shenbao_two_nodes_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = urlsplit(server_url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    try:
        yield urlsplit(server_url)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _create_bucket(env: dict[str, str]) -> None:
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=env["SHENBAO_S3_ENDPOINT_URL"],
        region_name=env["SHENBAO_S3_REGION"],
        aws_access_key_id=env["SHENBAO_S3_ACCESS_KEY_ID"],
        aws_secret_access_key=env["SHENBAO_S3_SECRET_ACCESS_KEY"],
    )
    client.create_bucket(Bucket=BUCKET)


def _write_nginx(cluster: Cluster, *, routers: dict[str, int], http_port: int) -> Path:
    cert, key = write_self_signed(cluster.folder)
    site = cluster.folder / "site.conf"
    manage(
        cluster,
        "render_nginx_site",
        "--server-name",
        SERVER_NAME,
        *[arg for port in routers.values() for arg in ("--upstream", f"127.0.0.1:{port}")],
        "--certificate",
        str(cert),
        "--certificate-key",
        str(key),
        "--static-root",
        cluster.env["STATIC_ROOT"],
        "--s3-endpoint",
        cluster.env["SHENBAO_S3_ENDPOINT_URL"],
        "--http-port",
        str(http_port),
        "--https-port",
        str(cluster.https_port),
        "--output",
        str(site),
    )
    a, b = cluster.nodes["A"], cluster.nodes["B"]
    overlay = cluster.folder / "overlay.conf"
    overlay.write_text(
        ROUTER.format(name="a", own=a, a=a, b=b, port=routers["A"])
        + ROUTER.format(name="b", own=b, a=a, b=b, port=routers["B"])
    )
    both = cluster.folder / "cluster.conf"
    log_format = (
        'log_format two_nodes "$request_uri $status upstream=$upstream_addr sent=$body_bytes_sent";\n'
        f"access_log {cluster.folder}/nginx-access.log two_nodes;\n"
    )
    both.write_text(f"{log_format}include {site};\ninclude {overlay};\n")
    return write_main_config(cluster.folder, site=both)


@contextmanager
def running_cluster(folder: Path, *, database_server_url: str) -> Any:
    """Start everything (see the module docstring); yields the Cluster; stops and removes it all at the end."""
    s3_port, https_port, http_port = free_port(), free_port(), free_port()
    nodes = {"A": f"127.0.0.1:{free_port()}", "B": f"127.0.0.1:{free_port()}"}
    routers = {"A": free_port(), "B": free_port()}
    prefix = f"two-nodes-{uuid.uuid4().hex[:8]}"
    with ExitStack() as stack:
        database_url = stack.enter_context(_database(database_server_url))
        env = _environment(folder, database_url=database_url, s3_port=s3_port, https_port=https_port, prefix=prefix)
        cluster = Cluster(
            folder=folder,
            env=env,
            https_port=https_port,
            nodes=nodes,
            routers={name: f"127.0.0.1:{port}" for name, port in routers.items()},
        )
        stack.callback(_stop, cluster)
        stack.callback(_forget_redis_keys, prefix)
        moto = _start(cluster, "s3", [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(s3_port)])
        # collectstatic (the production profile's hashed files) runs beside the migrations: two cores.
        collect = _start(cluster, "collectstatic", [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"])
        _wait_for_port(s3_port, moto, "the S3 server", folder / "s3.log")
        _create_bucket(env)
        manage(cluster, "migrate", "--noinput", "-v0")
        manage(cluster, "load_reference_data", "data/reference/jincheng.yaml")
        manage(cluster, "load_call", "calls/jincheng-2022.yaml")
        seeded = subprocess.run(
            [PYTHON, "-m", "tests.deploy.seed_two_nodes"],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "shenbao.settings.dev"},
            capture_output=True,
            text=True,
            timeout=300,
        )
        if seeded.returncode != 0:
            pytest.fail(f"seeding failed:\n{seeded.stderr[-4000:]}")
        cluster.seed = json.loads(seeded.stdout.strip().splitlines()[-1])
        if collect.wait(timeout=300) != 0:
            pytest.fail(f"collectstatic failed:\n{cluster.log('collectstatic')[-4000:]}")
        gunicorn = str(BIN / "gunicorn")
        for name, address in nodes.items():
            node = _start(cluster, f"node-{name}", [gunicorn, "-c", "gunicorn.conf.py"], GUNICORN_BIND=address)
            _wait_for_port(int(address.rsplit(":", 1)[1]), node, f"web node {name}", folder / f"node-{name}.log")
        _start(cluster, "worker", [PYTHON, "manage.py", task_worker_command(), "--interval", "0.2"])
        config = _write_nginx(cluster, routers=routers, http_port=http_port)
        stack.enter_context(running_nginx(config, http_port=http_port, https_port=https_port))
        yield cluster


def _stop(cluster: Cluster) -> None:
    for process in reversed(cluster.processes):
        if process.poll() is None:
            process.send_signal(signal.SIGINT)  # gunicorn: quick shutdown (TERM waits for idle keep-alives)
    for process in cluster.processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _forget_redis_keys(prefix: str) -> None:
    client = redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB)
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)


class Browser:
    """A visitor of the site over HTTPS with its cookies; `node` pins a request to web node A or B."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.cookies: dict[str, str] = {}
        self.context = ssl.create_default_context(cafile=str(cluster.folder / "site.crt"))
        self.origin = f"https://{SERVER_NAME}:{cluster.https_port}"

    def request(
        self, method: str, path: str, *, node: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[http.client.HTTPResponse, bytes]:
        # The certificate names 127.0.0.1 too; the Host header names the site.
        connection = http.client.HTTPSConnection("127.0.0.1", self.cluster.https_port, context=self.context, timeout=60)
        sent = {
            "Host": f"{SERVER_NAME}:{self.cluster.https_port}",
            "X-Shenbao-Node": node,
            "Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items()),
            "Origin": self.origin,
            "Referer": f"{self.origin}{path}",
            **(headers or {}),
        }
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        data = response.read()
        connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response, data

    def get(self, path: str, *, node: str, **headers: str) -> tuple[http.client.HTTPResponse, bytes]:
        return self.request("GET", path, node=node, headers=headers)

    def csrf_token(self, page: bytes) -> str:
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert found, "no CSRF token on the page"
        return found.group(1).decode()

    def post_form(self, path: str, fields: dict[str, str], *, node: str) -> tuple[http.client.HTTPResponse, bytes]:
        body = urlencode(fields).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return self.request("POST", path, node=node, body=body, headers=headers)

    def post_file(
        self, path: str, fields: dict[str, str], *, filename: str, content: bytes, content_type: str, node: str
    ) -> tuple[http.client.HTTPResponse, bytes]:
        boundary = secrets.token_hex(16)
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in fields.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n".encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", "Accept": "application/json"}
        return self.request("POST", path, node=node, body=b"".join(parts), headers=headers)
