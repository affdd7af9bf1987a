"""What the bench measures: the key page of every role, the public pages and the bare Django page.

Each page is (label, user or None for the public, path); paths that name an object take it from the targets the
dataset wrote (`dataset.prepare`). Documents and exports are measured at one client only: they are heavy by
nature and a rush of them is the task worker's business (issue 16). The exports that can run for seconds are export
jobs: their requests only queue them, and `export_jobs` times the worker's part.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    label: str
    path: str
    role: str | None = None  # a role of dataset.BENCH_ROLES (one of its users signs in); None: anonymous
    heavy: bool = False  # measured at one client only
    baseline: bool = False  # served by the bare Django project


def list_pages(targets: dict) -> list[Page]:
    pages = [
        Page("bare Django page (one indexed query)", "/", baseline=True),
        Page("public home page", "/"),
        Page("public 公示 list", "/notices/public/"),
        Page("applicant dashboard", "/dashboard/", role="applicant"),
        Page("applicant's applications", "/applications/", role="applicant"),
        Page("county first-review queue", "/review/", role="county_reviewer"),
        Page("city recheck queue", "/review/recheck/", role="city_reviewer"),
        Page("技能办 applications list", "/applications/", role="call_admin"),
        Page("技能办 first-review summary", "/review/summary/", role="call_admin"),
        Page("技能办 ranking", "/scoring/ranking/", role="call_admin"),
        Page("技能办 expert pool", "/experts/pool/", role="call_admin"),
        Page("expert's assignments", "/scoring/", role="expert"),
        Page("audit browser", "/audit/", role="audit_admin"),
        # One person's entries: a rare actor among a million rows is where an index walk goes wrong.
        Page(
            "audit browser, one applicant's entries",
            f"/audit/?actor={targets['users']['applicant']['username']}",
            role="audit_admin",
        ),
        Page("province statistics", "/statistics/", role="province_observer"),
        Page("funding ledger XLSX", "/funding/ledger.xlsx", role="call_admin", heavy=True),
    ]
    if targets.get("application"):
        pages.append(
            Page(
                "申报书 PDF (a submitted version's stored file)",
                f"/documents/{targets['application']}/application-form.pdf",
                role="applicant",
                heavy=True,
            )
        )
    return pages
