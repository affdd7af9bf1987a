"""Processes the observability tests run: gunicorn and the task worker, each in a subprocess with its own
environment (settings are read once per process), their output kept in a file to read afterwards."""

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(args, *, env, output: Path) -> subprocess.Popen:
    with output.open("ab") as log:
        return subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def gunicorn(*, port: int, env, output: Path, extra=()) -> subprocess.Popen:
    binary = Path(sys.executable).with_name("gunicorn")
    args = [str(binary), "-c", "gunicorn.conf.py", "--workers", "1", "--bind", f"127.0.0.1:{port}", *extra]
    return start(args, env=env, output=output)


def task_worker(*, env, output: Path, extra=()) -> subprocess.Popen:
    args = [sys.executable, "manage.py", "task_worker", "--no-startup-delay", "--interval", "0.2", *extra]
    return start(args, env=env, output=output)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def fetch(url: str, *, host: str | None = None, timeout: float = 10):
    """(status, headers, parsed JSON or text) of a GET; HTTP errors are answers too."""
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, headers, body = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, headers, body = error.code, error.headers, error.read()
    try:
        return status, headers, json.loads(body)
    except ValueError:
        return status, headers, body.decode(errors="replace")


def wait_until(condition, *, timeout: float, what: str, step: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = condition()
        except OSError:
            value = None
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out waiting for {what}")
