"""`python -m bench [--scale demo] [--database-url URL]`: build the dataset, serve it, measure, report."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from . import dataset, report, rush
from .load import Level, measure
from .pages import list_pages
from .scales import SCALES
from .server import HOST, serve
from .session import Session, log_in

ROOT = Path(__file__).resolve().parent.parent
WARM_UP = 5
LOGINS = 10


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scale", choices=sorted(SCALES), default="demo")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL"),
        help="an empty database for the run (default: a new SQLite file under --out)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "bench")
    parser.add_argument("--requests", type=int, help="requests per page and level (default: the scale's)")
    parser.add_argument(
        "--rush", type=int, default=200, help="complete applications submitted and approved in the deadline rush"
    )
    parser.add_argument("--rush-clients", type=int, default=50, help="concurrent clients of the deadline rush")
    return parser.parse_args(argv)


def _fresh_work_dir(out: Path) -> Path:
    work = out / "work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    return work


def _count_queries(env: dict[str, str], pages, targets: dict, work: Path) -> dict[str, int]:
    listing = work / "pages.json"
    users = targets["users"]
    measured = [
        {"label": page.label, "path": page.path, "username": users[page.role]["username"] if page.role else None}
        for page in pages
        if not page.baseline
    ]
    listing.write_text(json.dumps(measured))
    result = subprocess.run(
        [sys.executable, "-m", "bench.queries", str(listing)],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "shenbao.settings.production"},
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout)


def _sessions(port: int, targets: dict, password: str, pages) -> dict[str | None, dict[str, str]]:
    cookies: dict[str | None, dict[str, str]] = {None: {}}
    for role in sorted({page.role for page in pages if page.role}):
        session = Session(HOST, port)
        user = targets["users"][role]
        log_in(session, username=user["username"], password=password, totp_key=user["totp_key"])
        cookies[role] = session.cookies
    return cookies


def _measure_logins(port: int, targets: dict, password: str) -> dict:
    applicants = targets["applicants"]
    seconds = [
        log_in(Session(HOST, port), username=applicants[index % len(applicants)], password=password, totp_key=None)
        for index in range(LOGINS)
    ]
    return {
        "count": len(seconds),
        "p50_ms": statistics.median(seconds) * 1000,
        "p95_ms": max(seconds) * 1000 if len(seconds) < 20 else statistics.quantiles(seconds, n=20)[-1] * 1000,
    }


def _measure_export_jobs(env: dict[str, str], targets: dict) -> list[dict]:
    """The export jobs of the 技能办, each run as the task worker runs it (`export_jobs`), in the production profile."""
    result = subprocess.run(
        [sys.executable, "-m", "bench.export_jobs", targets["users"]["call_admin"]["username"]],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "shenbao.settings.production"},
        check=True,
        capture_output=True,
        text=True,
    )
    jobs = json.loads(result.stdout)
    for job in jobs:
        print(f"[bench] export job {job['kind']}: {job['rows']} rows in {job['seconds']:.2f} s, {job['status']}")
    return jobs


def _print_level(label: str, level: Level) -> None:
    first_error = f" ({level.first_error})" if level.errors else ""
    print(
        f"[bench] {label:45s} c={level.concurrency:<3d} p50 {level.p50_ms:7.1f} ms  p95 {level.p95_ms:7.1f} ms"
        f"  {level.per_second:7.1f}/s  errors {level.errors}{first_error}",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    scale = SCALES[args.scale]
    args.out.mkdir(parents=True, exist_ok=True)
    work = _fresh_work_dir(args.out)
    env = dataset.bench_environment(out_dir=work, database_url=args.database_url)
    started = dt.datetime.now(dt.UTC).astimezone()
    print(f"[bench] building the {scale.name} dataset in {env['DATABASE_URL'].split('@')[-1]} …", flush=True)
    targets = dataset.build(env=env, scale=scale.name)
    password = json.loads((work / "keys.json").read_text())["password"]
    print(f"[bench] preparing {args.rush} complete applications for the deadline rush …", flush=True)
    rush_data = rush.prepare(env=env, count=args.rush, work=work)
    pages = list_pages(targets)
    queries = _count_queries(env, pages, targets, work)
    total = args.requests or scale.requests_per_level
    results = []
    with (
        serve(
            env=env, settings="shenbao.settings.production", app="shenbao.wsgi:application", log=work / "product.log"
        ) as product,
        serve(
            env=env,
            settings="bench.baseline.settings",
            app="bench.baseline.wsgi:application",
            log=work / "baseline.log",
        ) as bare,
    ):
        cookies = _sessions(product, targets, password, pages)
        for page in pages:
            port = bare if page.baseline else product
            jar = cookies[page.role]
            levels: list[Level] = []
            measure(host=HOST, port=port, cookies=jar, path=page.path, concurrency=1, total=WARM_UP)
            for concurrency in (1,) if page.heavy else scale.concurrency:
                count = max(total // 4, 5) if page.heavy else max(total, concurrency * 2)
                level = measure(host=HOST, port=port, cookies=jar, path=page.path, concurrency=concurrency, total=count)
                levels.append(level)
                _print_level(page.label, level)
            results.append(
                {
                    "label": page.label,
                    "path": page.path,
                    "role": page.role,
                    "heavy": page.heavy,
                    "queries": queries.get(page.label),
                    "levels": report.as_dict(levels),
                }
            )
        login = _measure_logins(product, targets, password)
        exports = _measure_export_jobs(env, targets)
        rushed = rush.measure_rush(
            env=env, host=HOST, port=product, rush=rush_data, password=password, clients=args.rush_clients, work=work
        )
    result = {
        "scale": scale.name,
        "started": started.isoformat(timespec="seconds"),
        "machine": f"{platform.node()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "database": env["DATABASE_URL"].split("://")[0],
        "pages": results,
        "login": login,
        "export_jobs": exports,
        "rush": rushed,
    }
    stamp = started.strftime("%Y%m%dT%H%M%S")
    for path in report.write(result, out_dir=args.out, stamp=stamp):
        print(f"[bench] wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    demo_file = args.out / "latest-demo.json"
    demo = json.loads(demo_file.read_text()) if scale.name != "demo" and demo_file.exists() else None
    print(report.summary(result, demo=demo))
    errors = sum(level["errors"] for page in results for level in page["levels"])
    errors += sum(1 for job in exports if job["status"] != "done")
    missed = rush.failures(rushed)
    for failure in missed:
        print(f"[bench] deadline rush: {failure}")
    return 1 if errors or missed else 0
