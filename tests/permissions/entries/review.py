"""review: 资格初审 (county bureau / competent department) and 资格复核 (city reviewers)."""

from tests.permissions.common import COUNTY_SCOPE, visible_but
from tests.permissions.dsl import ADMIN, CITY, CITY_DIRECT, COUNTY, DEPARTMENT, allow, get, post

FIRST_REVIEWERS = (COUNTY, DEPARTMENT)


def _status(application):
    return application.status


ENTRIES = [
    get("review:first_review_queue", allow(FIRST_REVIEWERS)),
    post("review:first_review_batch", allow(FIRST_REVIEWERS, status=302), note="nothing ticked: back to the queue"),
    get("review:first_review_summary", allow(FIRST_REVIEWERS, CITY, ADMIN)),
    # Its XLSX, as an export job: the summary's readers; anyone else does not learn the kind exists (404).
    post(
        "exports:request",
        allow(FIRST_REVIEWERS, CITY, ADMIN, status=302),
        denied=404,
        kwargs={"kind": "review.summary"},
        variant="review.summary",
    ),
    get("review:recheck_queue", allow(CITY)),
    # The first-review page exists only for the body the application is routed to: 404 for everyone else.
    get(
        "review:first_review",
        allow(COUNTY, on=COUNTY_SCOPE),
        allow(DEPARTMENT, on=CITY_DIRECT),
        obj="application.submitted",
    ),
    post(
        "review:first_review",
        allow(COUNTY, on=COUNTY_SCOPE),
        allow(DEPARTMENT, on=CITY_DIRECT),
        obj="application.submitted",
        data={"action": "save"},
        watch=_status,
        note="allowed: the form again (no checklist)",
    ),
    # The re-check page: a city reviewer of a re-check body; whoever else sees the application gets 403.
    get("review:recheck", *visible_but("application.recheck", 403, allow(CITY)), obj="application.recheck"),
    post(
        "review:recheck",
        *visible_but("application.recheck", 403, allow(CITY, status=400)),
        obj="application.recheck",
        data={"decision": ""},
        watch=_status,
        note="allowed: the form again with its errors, answered 400",
    ),
]
