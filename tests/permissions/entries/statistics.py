"""统计分析 (core.views_statistics): the city's leadership (call administrator, city reviewers) reads the figures of
its own city; the tables reported upward are the call administrator's. Every other role gets 403 (a page its role
may not use); another city's staff (scenario.outsiders, checked automatically because the kind has a relation) get
404 for this city's call."""

from tests.permissions.dsl import ADMIN, CITY, OWN, allow, get

CALL = "statistics.call"


def build(scenario):
    # The home city's call as a kind with a relation, so that 太原市's leadership is requested too and refused.
    scenario.add(CALL, own=scenario.call)


def _slug(call):
    return {"slug": call.slug}


def _report(kind, fmt):
    return lambda call: {"slug": call.slug, "kind": kind, "fmt": fmt}


ENTRIES = [
    get("core:city_statistics", allow(CITY, ADMIN)),
    get("core:city_statistics_xlsx", allow(CITY, ADMIN)),
    get("core:call_statistics", allow(CITY, ADMIN, on=OWN), obj=CALL, kwargs=_slug, denied=403),
    get("core:call_statistics_xlsx", allow(CITY, ADMIN, on=OWN), obj=CALL, kwargs=_slug, denied=403),
    get("core:call_statistics_summary", allow(CITY, ADMIN, on=OWN), obj=CALL, kwargs=_slug, denied=403),
    get(
        "core:call_statistics_summary_pdf",
        allow(CITY, ADMIN, on=OWN),
        obj=CALL,
        kwargs=_slug,
        denied=403,
        sample=1,
    ),
    *[
        get(
            "core:call_upward_report",
            allow(ADMIN, on=OWN),
            obj=CALL,
            kwargs=_report(kind, fmt),
            denied=403,
            variant=f"{kind} {fmt}",
        )
        for kind, fmt in (("summary", "xlsx"), ("summary", "docx"), ("results", "xlsx"), ("results", "docx"))
    ],
]
