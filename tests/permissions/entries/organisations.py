"""organisations: the list (scoped, so everyone signed in gets a page) and one organisation (404 outside scope)."""

from tests.permissions.dsl import ADMIN, APPLICANT, CITY, COUNTY, LOGGED_IN, OWN, SAME_COUNTY, SYSADMIN, allow, get

ENTRIES = [
    get("organisations:list", allow(LOGGED_IN)),
    get(
        "organisations:detail",
        allow(APPLICANT, on=OWN),
        allow(COUNTY, on=(OWN, SAME_COUNTY)),  # the county's own (non city-direct) units
        allow(CITY, ADMIN, SYSADMIN),  # city-wide roles; the system administrator keeps the register
        obj="organisation",
    ),
]
