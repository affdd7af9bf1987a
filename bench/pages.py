"""What the bench measures: the key page of every role, the public pages and the bare Django page.

Each page is (label, user or None for the public, path); paths that name an object take it from the targets the
dataset wrote (`dataset.prepare`). Documents and exports are measured at one client only: they are heavy by
nature and a rush of them is the task worker's business (issue 16).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    label: str
    path: str
    user: str | None = None  # a role of dataset.BENCH_ROLES (one of its users signs in); None: anonymous
    heavy: bool = False  # measured at one client only
    baseline: bool = False  # served by the bare Django project


def list_pages(targets: dict) -> list[Page]:
    pages = [
        Page("bare Django page (one indexed query)", "/", baseline=True),
        Page("public home page", "/"),
        Page("public 公示 list", "/notices/public/"),
        Page("applicant dashboard", "/dashboard/", user="applicant"),
        Page("applicant's applications", "/applications/", user="applicant"),
        Page("county first-review queue", "/review/", user="county_reviewer"),
        Page("city recheck queue", "/review/recheck/", user="city_reviewer"),
        Page("技能办 applications list", "/applications/", user="call_admin"),
        Page("技能办 first-review summary", "/review/summary/", user="call_admin"),
        Page("技能办 ranking", "/scoring/ranking/", user="call_admin"),
        Page("技能办 expert pool", "/experts/pool/", user="call_admin"),
        Page("expert's assignments", "/scoring/", user="expert"),
        Page("audit browser", "/audit/", user="audit_admin"),
        # One person's entries: a rare actor among a million rows is where an index walk goes wrong.
        Page(
            "audit browser, one applicant's entries",
            f"/audit/?actor={targets['users']['applicant']['username']}",
            user="audit_admin",
        ),
        Page("province statistics", "/statistics/", user="province_observer"),
        Page("first-review summary XLSX", "/review/summary.xlsx", user="call_admin", heavy=True),
        Page("expert pool XLSX", "/experts/pool/export.xlsx", user="call_admin", heavy=True),
    ]
    if targets.get("application"):
        pages.append(
            Page(
                "申报书 PDF (draft, rendered in the request)",
                f"/documents/{targets['application']}/application-form.pdf",
                user="applicant",
                heavy=True,
            )
        )
    return pages
