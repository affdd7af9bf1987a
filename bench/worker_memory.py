"""`python -m bench.worker_memory [--documents 100]`: the task worker's resident memory while it renders documents
(issue 16: "a worker stays under 200 MB after 100 documents").

Builds the demo dataset as the bench does (`dataset.build`, a SQLite file under --out; kept for the next run),
queues the stored documents of every submitted version anew (production profile: the database task backend,
`services_stored.queue_version_documents`), then runs the real worker command (`task_worker`, or `db_worker`
before it exists) with `--batch --max-tasks N` and samples its resident set size (VmRSS of /proc/<pid>/status)
together with the number of documents it has stored. Writes worker-memory.json and worker-memory.md under --out.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from . import dataset

ROOT = Path(__file__).resolve().parent.parent
LIMIT_MB = 200
SAMPLE_SECONDS = 0.2


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.worker_memory", description=__doc__)
    parser.add_argument("step", nargs="?", default="run", choices=("run", "queue"))
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "bench" / "worker-memory")
    return parser.parse_args(argv)


def queue(documents: int) -> int:
    """Inside Django (production profile): forget the stored documents and queue at least `documents` anew."""
    import django

    django.setup()
    from django.core.files.storage import default_storage
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from shenbao.applications.selectors import list_served_versions
    from shenbao.documents.models import RenderedDocument
    from shenbao.documents.services_stored import queue_version_documents
    from shenbao.documents.tasks import render_stored_document, render_stored_documents

    for rendered in RenderedDocument.objects.exclude(file=""):
        default_storage.delete(rendered.file.name)
    RenderedDocument.objects.all().delete()
    DBTaskResult.objects.filter(
        task_path__in=[render_stored_document.module_path, render_stored_documents.module_path]
    ).delete()
    render_stored_documents.get_backend()  # fail here, not in the worker, if the backend is missing
    queued = 0
    for version in list_served_versions():
        with transaction.atomic():
            queued += len(queue_version_documents(version=version))
        if queued >= documents:
            break
    return queued


def _rss_mb(pid: int) -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return None


def _stored(database: Path) -> int:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as connection:
        row = connection.execute("SELECT count(*) FROM documents_rendereddocument WHERE status = 'ready'").fetchone()
    return int(row[0])


def _worker_command(env: dict[str, str]) -> str:
    """The platform's worker command (`task_worker`: db_worker plus its heartbeat), or db_worker before it exists."""
    probe = (
        "import django; django.setup(); from django.core.management import get_commands; "
        "print('task_worker' in get_commands())"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return "task_worker" if result.stdout.strip() == "True" else "db_worker"


def run(arguments: argparse.Namespace) -> int:
    out: Path = arguments.out
    out.mkdir(parents=True, exist_ok=True)
    env = dataset.bench_environment(out_dir=out, database_url=None)
    database = out / "bench.sqlite3"
    if not database.exists():
        print(f"[worker-memory] building the demo dataset in {database} …", flush=True)
        dataset.build(env=env, scale="demo")
    production = {**env, "DJANGO_SETTINGS_MODULE": "shenbao.settings.production"}
    queued = subprocess.run(
        [sys.executable, "-m", "bench.worker_memory", "queue", "--documents", str(arguments.documents)],
        cwd=ROOT,
        env=production,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    count = min(int(queued.splitlines()[-1]), arguments.documents)
    command = _worker_command(production)
    worker = [sys.executable, "manage.py", command, "--batch", "--no-startup-delay", "--max-tasks", str(count)]
    print(f"[worker-memory] {command} renders {count} documents …", flush=True)
    samples: list[tuple[float, int, float]] = []
    started = time.monotonic()
    with (out / "worker.log").open("w") as log:
        process = subprocess.Popen(worker, cwd=ROOT, env=production, stdout=log, stderr=subprocess.STDOUT)
        while process.poll() is None:
            rss = _rss_mb(process.pid)
            if rss is not None:
                samples.append((time.monotonic() - started, _stored(database), rss))
            time.sleep(SAMPLE_SECONDS)
    if process.returncode != 0:
        print(f"[worker-memory] the worker failed ({process.returncode}); see {out / 'worker.log'}")
        return 1
    stored = _stored(database)
    result = _summarise(samples, stored=stored, seconds=time.monotonic() - started, command=command)
    (out / "worker-memory.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    (out / "worker-memory.md").write_text(_markdown(result))
    print(_markdown(result))
    return 0 if result["last_mb"] < LIMIT_MB and stored >= count else 1


def _summarise(samples: list[tuple[float, int, float]], *, stored: int, seconds: float, command: str) -> dict:
    # While `done` documents are stored the worker renders the next one: the lowest sample is its level between two
    # documents (what it keeps), the highest the working set of one rendering on top of it.
    peaks: dict[int, float] = {}
    floors: dict[int, float] = {}
    for _at, done, rss in samples:
        peaks[done] = max(peaks.get(done, 0.0), rss)
        floors[done] = min(floors.get(done, rss), rss)
    marks = sorted({done for done in peaks if done in (0, 1) or done % 10 == 0})
    return {
        "worker": command,
        "documents": stored,
        "seconds": round(seconds, 1),
        "peak_mb": round(max(rss for _at, _done, rss in samples), 1),
        "last_mb": round(samples[-1][2], 1),
        "limit_mb": LIMIT_MB,
        "rss_mb_by_documents": {str(done): [round(floors[done], 1), round(peaks[done], 1)] for done in marks},
    }


def _markdown(result: dict) -> str:
    lines = [
        f"# Task worker memory: {result['documents']} documents in {result['seconds']} s ({result['worker']})",
        "",
        "| documents stored | lowest RSS (MB) while rendering the next | highest RSS (MB) |",
        "|---:|---:|---:|",
        *(f"| {done} | {low} | {high} |" for done, (low, high) in result["rss_mb_by_documents"].items()),
        "",
        f"Peak {result['peak_mb']} MB, last sample {result['last_mb']} MB (limit {result['limit_mb']} MB).",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    arguments = _arguments(argv)
    if arguments.step == "queue":
        print(queue(arguments.documents))
        return 0
    return run(arguments)


if __name__ == "__main__":
    sys.exit(main())
