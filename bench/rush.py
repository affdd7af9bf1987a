"""The deadline rush (issue 18): N complete applications submitted by C concurrent clients, then their county
approvals (资格初审通过) by C concurrent clients, each through HTTP as the browser does it.

Data: `bench.rush_data prepare` (units, applicants, complete drafts, one reviewer per county body). Before each
timed phase every client is signed in and every form page fetched for its CSRF token (not timed; a reviewer's
sealed scan is uploaded then too, since it is a separate step of the page); the timed phase is the POSTs alone,
C at a time. After each phase the database is asked whether every application moved exactly once
(`rush_data check`), and `manage.py audit_verify` must pass.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict
from html import unescape
from pathlib import Path

from .cpu import busy_share, group_shares, read_process_times, read_times
from .load import Level, percentile
from .session import CSRF_INPUT, BenchError, Response, Session, log_in

ROOT = Path(__file__).resolve().parent.parent
JUDGEMENT_INPUT = re.compile(r'name="judgement-([^"]+)"')
ALERT = re.compile(r'<div class="alert alert-(?:danger|warning)[^>]*>(.*?)</div>', re.S)
TAG = re.compile(r"<[^>]+>")


def prepare(*, env: dict[str, str], count: int, work: Path) -> dict:
    """Inside Django (development profile, like `dataset.prepare`): the rush's units, users and drafts."""
    return json.loads(_django(env, "shenbao.settings.dev", "-m", "bench.rush_data", "prepare", str(count), str(work)))


def _django(env: dict[str, str], settings: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": settings},
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def _parallel(items: list, clients: int, work: Callable) -> list:
    """`work(item)` for every item, `clients` threads at a time; results in the items' order."""
    results: list = [None] * len(items)
    cursor = [0]
    lock = threading.Lock()

    def worker() -> None:
        while True:
            with lock:
                index = cursor[0]
                cursor[0] += 1
            if index >= len(items):
                return
            results[index] = work(items[index])

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _reason(answer: Response) -> str:
    alert = ALERT.search(answer.text)
    text = " ".join(unescape(TAG.sub(" ", alert.group(1))).split()) if alert else ""
    return f"HTTP {answer.status}{': ' + text[:200] if text else ''}"


def _timed_posts(*, host: str, port: int, posts: list[tuple[Session, str, dict]], clients: int) -> Level:
    """Every (session, path, form) POSTed once, `clients` at a time, each thread on its own kept-alive
    connection; an answer other than the redirect that follows success is an error."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    local = threading.local()

    def post(item: tuple[Session, str, dict]) -> None:
        session, path, data = item
        if not hasattr(local, "connection"):
            local.connection = Session(host, port).connect()
        try:
            answer = session.request("POST", path, data=data, connection=local.connection)
        except OSError as error:
            local.connection.close()
            local.connection = Session(host, port).connect()
            with lock:
                errors.append(f"{type(error).__name__}: {error}")
            return
        with lock:
            latencies.append(answer.seconds)
            if answer.status != 302:
                errors.append(_reason(answer))

    started = time.perf_counter()
    _parallel(posts, clients, post)
    wall = time.perf_counter() - started
    ordered = sorted(latencies)
    return Level(
        concurrency=clients,
        requests=len(latencies),
        errors=len(errors),
        p50_ms=percentile(ordered, 0.5) * 1000,
        p95_ms=percentile(ordered, 0.95) * 1000,
        per_second=(len(latencies) - len(errors)) / wall if wall else 0.0,
        first_error=errors[0] if errors else "",
    )


def _csrf(session: Session, path: str) -> tuple[str, str]:
    page = session.request("GET", path)
    match = CSRF_INPUT.search(page.text)
    if page.status != 200 or match is None:
        raise BenchError(f"{path}: no form to post (HTTP {page.status})")
    return match.group(1), page.text


def _address(index: int) -> str:
    """A distinct private address per client (10.x.y.z)."""
    return f"10.{index // 65536 % 256}.{index // 256 % 256}.{index % 256 + 1}"


def _submissions(host: str, port: int, rush: dict, password: str, clients: int) -> list[tuple[Session, str, dict]]:
    def ready(item: tuple[int, dict]) -> tuple[Session, str, dict]:
        index, application = item
        session = Session(host, port, forwarded_for=_address(index))
        log_in(session, username=application["applicant"], password=password, totp_key=None)
        path = f"/applications/{application['id']}/submit/"
        token, _page = _csrf(session, path)
        return session, path, {"csrfmiddlewaretoken": token}

    return _parallel(list(enumerate(rush["applications"])), clients, ready)


def _approvals(host: str, port: int, rush: dict, password: str, clients: int) -> list[tuple[Session, str, dict]]:
    signed_in = {}
    for index, (username, totp_key) in enumerate(sorted(rush["reviewers"].items())):
        session = Session(host, port, forwarded_for=_address(100_000 + index))
        log_in(session, username=username, password=password, totp_key=totp_key)
        signed_in[username] = session.cookies
    seal = Path(rush["seal"]).read_bytes()

    def ready(application: dict) -> tuple[Session, str, dict]:
        session = Session(host, port, cookies=dict(signed_in[application["reviewer"]]))
        path = f"/review/{application['id']}/"
        token, page = _csrf(session, path)
        uploaded = session.request(
            "POST",
            f"{path}seal/",
            data={"csrfmiddlewaretoken": token},
            files={"file": ("初审意见.pdf", seal)},
        )
        if uploaded.status != 302:
            raise BenchError(f"{path}seal/: the sealed scan was refused (HTTP {uploaded.status})")
        form = {"csrfmiddlewaretoken": token, "action": "pass", "recommendation": rush["recommendation"]}
        form.update(comment="", resubmission_due="")
        for code in dict.fromkeys(JUDGEMENT_INPUT.findall(page)):
            form[f"judgement-{code}"] = "met"
            form[f"note-{code}"] = ""
        return session, path, form

    return _parallel(rush["applications"], clients, ready)


def _checked(env: dict[str, str], work: Path, step: str, ids: list[str]) -> dict:
    listing = work / "rush-ids.json"
    listing.write_text(json.dumps(ids))
    check = json.loads(
        _django(env, "shenbao.settings.production", "-m", "bench.rush_data", "check", step, str(listing))
    )
    verified = subprocess.run(
        [sys.executable, "manage.py", "audit_verify"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "shenbao.settings.production"},
        capture_output=True,
        text=True,
    )
    check["audit_verify"] = verified.returncode == 0
    check["audit_verify_output"] = (verified.stdout + verified.stderr).strip()[-500:]
    return check


def measure_rush(*, env: dict[str, str], host: str, port: int, rush: dict, password: str, clients: int, work: Path):
    """Both timed phases and their checks; returns the report's "rush" entry."""
    ids = [application["id"] for application in rush["applications"]]
    phases = {}
    for name, step, build in (
        ("submissions", rush["submit_step"], _submissions),
        ("approvals", rush["pass_step"], _approvals),
    ):
        posts = build(host, port, rush, password, clients)
        processes_before, before = read_process_times(client_pid=os.getpid()), read_times()
        level = _timed_posts(host=host, port=port, posts=posts, clients=clients)
        after, processes_after = read_times(), read_process_times(client_pid=os.getpid())
        phases[name] = {
            "level": asdict(level),
            "check": _checked(env, work, step, ids),
            "cpu_busy": busy_share(before, after),
            "cpu_by_process": group_shares(processes_before, processes_after, before, after),
        }
    return {"applications": len(ids), "clients": clients, "counties": rush["counties"], **phases}


def failures(rush: dict) -> list[str]:
    """What of the rush missed the issue's correctness targets (errors, lost, doubled, audit chain)."""
    found = []
    for name in ("submissions", "approvals"):
        phase = rush[name]
        level, check = phase["level"], phase["check"]
        if level["errors"]:
            found.append(f"{name}: {level['errors']} errors ({level['first_error']})")
        if (
            check["lost"]
            or check["doubled"]
            or check["audit_mismatch"]
            or check["in_target_state"] != rush["applications"]
        ):
            found.append(f"{name}: {check}")
        if not check["audit_verify"]:
            found.append(f"{name}: audit_verify failed: {check['audit_verify_output']}")
    return found
