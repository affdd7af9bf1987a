"""Export jobs (issue 18, point 5): an export a person asks for is written by the task worker, never in the request
(the request only queues it, a page like any other). The bench times the worker's part for the bench's 技能办:
each kind of export its pages offer, from the queued job to the file counted, stored and offered.

`python -m bench.export_jobs USERNAME` runs inside Django (production profile, `bench.run` starts it after the pages)
and prints one JSON row per kind: rows, bytes, seconds and the job's final state. The kinds are the exports' own
(`shenbao.exports.kinds`), asked for with what their pages post by default.
"""

from __future__ import annotations

import json
import sys
import time
from urllib.parse import urlencode

# kind → the form its page posts when nothing is changed (the staff list: every row, as XLSX, a few columns).
REQUESTS = {
    "applications.list": {"query": "", "format": "xlsx", "export_columns": ["number", "unit", "county", "industry"]},
    "review.summary": {"call": ""},
    "experts.pool": {},
}


def measure(*, username: str) -> list[dict]:
    """Each kind of `REQUESTS` queued for `username` through the jobs' own services, then run as the worker runs it."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.http import QueryDict
    from django.utils.module_loading import import_string

    from shenbao.exports.kinds import KINDS
    from shenbao.exports.services import request_export, run_export

    owner = get_user_model().objects.get(username=username)
    rows = []
    for kind, form in REQUESTS.items():
        params = import_string(KINDS[kind].prepare)(data=QueryDict(urlencode(form, doseq=True)), language="zh-hans")
        with transaction.atomic():
            queued = request_export(owner=owner, kind=kind, title=str(KINDS[kind].title), params=params)
        started = time.perf_counter()
        job = run_export(job_id=queued.pk)
        seconds = time.perf_counter() - started
        rows.append(
            {
                "kind": kind,
                "status": job.status,
                "rows": job.rows_written,
                "bytes": job.size or 0,
                "seconds": round(seconds, 3),
                "error": job.error,
            }
        )
    return rows


if __name__ == "__main__":
    import django

    django.setup()
    match sys.argv[1:]:
        case [username]:
            print(json.dumps(measure(username=username)))
        case _:
            raise SystemExit("usage: python -m bench.export_jobs USERNAME")
