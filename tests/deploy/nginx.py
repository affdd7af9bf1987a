"""Test helpers around a real nginx: a self-signed certificate, a minimal main configuration that includes the
rendered site with every path under a temporary folder, and a running server on free ports."""

import datetime
import ipaddress
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

SERVER_NAME = "shenbao.test"


def nginx_binary() -> str:
    """nginx from PATH or /usr/sbin; a missing nginx fails the test (make test installs nginx-light)."""
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    if not found:
        pytest.fail("nginx is not installed: `make test-system-deps` (or apt-get install nginx-light) installs it")
    return found


def write_self_signed(folder: Path) -> tuple[Path, Path]:
    """A P-256 certificate for SERVER_NAME and 127.0.0.1, valid for a day, and its key."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, SERVER_NAME)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName(SERVER_NAME), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "site.crt", folder / "site.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


def write_main_config(folder: Path, *, site: Path) -> Path:
    """nginx.conf with pid, logs and temporary files in `folder`, so nginx runs without touching /var or /run."""
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / name).mkdir(exist_ok=True)
    # As root the workers would switch to `nobody`, who cannot read pytest's private temporary folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    config = folder / "nginx.conf"
    config.write_text(
        f"""{user}worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {folder}/access.log;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {site};
}}
"""
    )
    return config


def nginx_command(config: Path, *args: str) -> list[str]:
    folder = config.parent
    return [nginx_binary(), "-p", str(folder), "-e", str(folder / "error.log"), "-c", str(config), *args]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class RunningNginx:
    http_port: int
    https_port: int


@contextmanager
def running_nginx(config: Path, *, http_port: int, https_port: int) -> Iterator[RunningNginx]:
    """nginx in the foreground on the site's ports until the block ends."""
    process = subprocess.Popen(
        nginx_command(config, "-g", "daemon off;"), stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", https_port), timeout=0.5).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read().decode() if process.stdout else ""
                    log = (config.parent / "error.log").read_text(errors="replace")
                    pytest.fail(f"nginx did not start: {output}\n{log}")
                time.sleep(0.05)
        yield RunningNginx(http_port=http_port, https_port=https_port)
    finally:
        process.terminate()
        process.wait(timeout=10)
